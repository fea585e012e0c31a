/*
 * objects.c - descriptors of the stored API objects. Field names, enum
 * tables and limits follow the official spec (rules/spec_enums.h, which is
 * generated from it); `extra` lists the seeds' additional spellings that
 * the seeds' own examples use (see docs/compatibility.md).
 */
#include "objects.h"

#include <stddef.h>

#define C(member, type, ...) SP_FLD(sp_campaign, member, type, __VA_ARGS__)

/* The seeds allow these at campaign level when CBO is off; the spec marks
 * them is_valid: false. Seeds win on rules (docs/compatibility.md). */
static const char *const campaign_budget_mode_extra[] = {
    "BUDGET_MODE_INFINITE", "BUDGET_MODE_DAY", NULL};

static const sp_field campaign_fields[] = {
    C(advertiser_id, SP_T_ID),
    C(campaign_id, SP_T_ID, .flags = SP_F_OUT),
    C(campaign_name, SP_T_STR, .max_len = 512),
    C(objective_type, SP_T_ENUM, .en = &SP_ENUM_campaign_create__objective_type),
    C(budget_optimize_on, SP_T_BOOL),
    C(budget_mode, SP_T_ENUM, .en = &SP_ENUM_campaign_create__budget_mode,
      .extra = campaign_budget_mode_extra),
    C(budget, SP_T_NUM, .min = 0, .max = 1e9),
    C(operation_status, SP_T_ENUM,
      .en = &SP_ENUM_campaign_create__operation_status),
    C(secondary_status, SP_T_STR, .flags = SP_F_OUT),
    C(sales_destination, SP_T_ENUM,
      .en = &SP_ENUM_campaign_create__sales_destination),
    C(special_industries, SP_T_STRS,
      .en = &SP_ENUM_campaign_create__special_industries, .max_items = 3),
    C(campaign_type, SP_T_ENUM, .en = &SP_ENUM_campaign_create__campaign_type),
    C(app_promotion_type, SP_T_ENUM,
      .en = &SP_ENUM_campaign_create__app_promotion_type),
    C(app_id, SP_T_ID),
    C(bid_align_type, SP_T_ENUM, .en = &SP_ENUM_campaign_create__bid_align_type),
    C(catalog_enabled, SP_T_BOOL),
    C(catalog_type, SP_T_ENUM, .en = &SP_ENUM_campaign_create__catalog_type),
    C(disable_skan_campaign, SP_T_BOOL),
    C(is_advanced_dedicated_campaign, SP_T_BOOL),
    C(is_promotional_campaign, SP_T_BOOL),
    C(po_number, SP_T_STR, .max_len = 512),
    C(postback_window_mode, SP_T_ENUM,
      .en = &SP_ENUM_campaign_create__postback_window_mode),
    C(campaign_app_profile_page_state, SP_T_ENUM,
      .en = &SP_ENUM_campaign_create__campaign_app_profile_page_state),
    C(smart_plus_adgroup_mode, SP_T_STR, .flags = SP_F_OUT),
    C(create_time, SP_T_TIME, .flags = SP_F_OUT),
    C(modify_time, SP_T_TIME, .flags = SP_F_OUT),
};

const sp_schema sp_campaign_schema = {"campaign", sizeof(sp_campaign),
                                      campaign_fields,
                                      SP_ARRAY_LEN(campaign_fields)};

#define P(member, type, ...) SP_FLD(sp_pixel, member, type, __VA_ARGS__)

static const char *const pixel_sources[] = {"BROWSER", "EVENTS_API", NULL};

static const sp_field pixel_fields[] = {
    P(advertiser_id, SP_T_ID),
    P(pixel_id, SP_T_ID, .flags = SP_F_OUT),
    P(pixel_code, SP_T_STR, .flags = SP_F_OUT),
    P(pixel_name, SP_T_STR, .max_len = 128),
    P(pixel_category, SP_T_ENUM, .en = &SP_ENUM_pixel_create__pixel_category),
    P(partner_name, SP_T_STR, .max_len = 128),
    P(activity_status, SP_T_STR, .flags = SP_F_OUT),
    P(pixel_setup_mode, SP_T_STR, .flags = SP_F_OUT),
    P(event_sources, SP_T_STRS, .extra = pixel_sources, .max_items = 2),
    P(create_time, SP_T_STR, .flags = SP_F_OUT),
};

const sp_schema sp_pixel_schema = {"pixel", sizeof(sp_pixel), pixel_fields,
                                   SP_ARRAY_LEN(pixel_fields)};
