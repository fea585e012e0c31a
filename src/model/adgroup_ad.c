/*
 * adgroup_ad.c - descriptors of ad groups (with targeting_spec) and ads
 * (with creative_list, texts, CTAs, destinations), and the table of the
 * seeds' spellings that the spec writes otherwise. Enum tables come from the
 * generated spec_enums; `extra` lists hold the seeds' spellings, which are
 * accepted as given and compared through sp_canonical().
 */
#include <string.h>

#include "objects.h"

/* ---- seeds' spellings ---- */

static const char *const canonical[][2] = {
    /* optimization_goal (seeds 001: LANDING_PAGE) */
    {"LANDING_PAGE", "TRAFFIC_LANDING_PAGE_VIEW"},
    /* optimization_event: seeds use web event names (api-facts 8.3) */
    {"COMPLETE_PAYMENT", "SHOPPING"},
    {"PURCHASE", "SHOPPING"},
    {"INITIATE_CHECKOUT", "INITIATE_ORDER"},
    {"ADD_TO_CART", "ON_WEB_CART"},
    {"VIEW_CONTENT", "ON_WEB_DETAIL"},
    {"COMPLETE_REGISTRATION", "ON_WEB_REGISTER"},
    {"SUBMIT_FORM", "FORM"},
    {"LEAD", "FORM"},
    {"CONTACT", "CONSULT"},
    {"PLACE_AN_ORDER", "ON_WEB_ORDER"},
    {"CLICK_BUTTON", "BUTTON"},
    {"DOWNLOAD", "DOWNLOAD_START"},
    {"ADD_TO_WISHLIST_WEB", "ON_WEB_ADD_TO_WISHLIST"},
    /* ad_format (seeds 001: CAROUSEL) */
    {"CAROUSEL", "CAROUSEL_ADS"},
};

const char *sp_canonical(const char *v) {
  if (!v) return v;
  for (size_t i = 0; i < SP_ARRAY_LEN(canonical); i++)
    if (canonical[i][0][0] == v[0] && strcmp(canonical[i][0], v) == 0)
      return canonical[i][1];
  return v;
}

static const char *const goal_extra[] = {"LANDING_PAGE", NULL};
static const char *const event_extra[] = {
    "COMPLETE_PAYMENT", "PURCHASE", "INITIATE_CHECKOUT", "ADD_TO_CART",
    "VIEW_CONTENT", "COMPLETE_REGISTRATION", "SUBMIT_FORM", "LEAD",
    "CONTACT", "PLACE_AN_ORDER", "CLICK_BUTTON", "DOWNLOAD", NULL};
static const char *const format_extra[] = {"CAROUSEL", NULL};
/* seeds 001: "deeplink_type: NORMAL"; the spec's list also has DEFERRED */
static const char *const pacing_values[] = {"PACING_MODE_SMOOTH",
                                            "PACING_MODE_FAST", NULL};

/* ---- targeting_spec ---- */

#define A(member, type, ...) SP_FLD(sp_action, member, type, __VA_ARGS__)
static const sp_field action_fields[] = {
    A(action_scene, SP_T_ENUM,
      .en = &SP_ENUM_adgroup_create__targeting_spec__actions__action_scene),
    A(action_period, SP_T_INT, .min = 1, .max = 180),
    A(video_user_actions, SP_T_STRS,
      .en = &SP_ENUM_adgroup_create__targeting_spec__actions__video_user_actions),
    A(action_category_ids, SP_T_IDS, .max_items = 1000),
};
static const sp_schema action_schema = {"action", sizeof(sp_action),
                                        action_fields,
                                        SP_ARRAY_LEN(action_fields)};

#define T(member, type, ...) SP_FLD(sp_targeting, member, type, __VA_ARGS__)
#define TE(name) .en = &SP_ENUM_adgroup_create__targeting_spec__##name
static const sp_field targeting_fields[] = {
    T(location_ids, SP_T_IDS, .max_items = 1500),
    T(zipcode_ids, SP_T_IDS, .max_items = 1500),
    T(languages, SP_T_STRS, .max_items = 100, .max_len = 16),
    T(age_groups, SP_T_STRS, TE(age_groups), .max_items = 6),
    T(gender, SP_T_ENUM, TE(gender)),
    T(spc_audience_age, SP_T_ENUM, TE(spc_audience_age)),
    T(audience_ids, SP_T_IDS, .max_items = 100),
    T(excluded_audience_ids, SP_T_IDS, .max_items = 100),
    T(saved_audience_id, SP_T_STR, .max_len = 64),
    T(interest_category_ids, SP_T_IDS, .max_items = 500),
    T(interest_keyword_ids, SP_T_IDS, .max_items = 500),
    T(purchase_intention_keyword_ids, SP_T_IDS, .max_items = 500),
    T(actions, SP_T_OBJS, .sub = &action_schema, .max_items = 20),
    T(operating_systems, SP_T_STRS, TE(operating_systems), .max_items = 2),
    T(min_android_version, SP_T_STR, .max_len = 16),
    T(min_ios_version, SP_T_STR, .max_len = 16),
    T(device_model_ids, SP_T_IDS, .max_items = 1000),
    T(device_price_ranges, SP_T_STRS, .max_items = 2, .max_len = 16),
    T(network_types, SP_T_STRS, TE(network_types), .max_items = 5),
    T(carrier_ids, SP_T_IDS, .max_items = 1000),
    T(isp_ids, SP_T_IDS, .max_items = 1000),
    T(household_income, SP_T_STRS, TE(household_income), .max_items = 4),
    T(spending_power, SP_T_ENUM, TE(spending_power)),
    T(smart_audience_enabled, SP_T_BOOL),
    T(smart_interest_behavior_enabled, SP_T_BOOL),
    T(blocked_pangle_app_ids, SP_T_IDS, .max_items = 1000),
    T(included_pangle_audience_package_ids, SP_T_IDS, .max_items = 1000),
    T(excluded_pangle_audience_package_ids, SP_T_IDS, .max_items = 1000),
    T(app_targeting_type, SP_T_ENUM, TE(app_targeting_type)),
};
const sp_schema sp_targeting_schema = {"targeting_spec", sizeof(sp_targeting),
                                       targeting_fields,
                                       SP_ARRAY_LEN(targeting_fields)};

/* ---- ad group ---- */

#define G(member, type, ...) SP_FLD(sp_adgroup, member, type, __VA_ARGS__)
#define GE(name) .en = &SP_ENUM_adgroup_create__##name
static const sp_field adgroup_fields[] = {
    G(advertiser_id, SP_T_ID),
    G(campaign_id, SP_T_ID),
    G(adgroup_id, SP_T_ID, .flags = SP_F_OUT),
    G(adgroup_name, SP_T_STR, .max_len = 512),
    G(operation_status, SP_T_ENUM, GE(operation_status)),
    G(secondary_status, SP_T_STR, .flags = SP_F_OUT),
    G(promotion_type, SP_T_ENUM, GE(promotion_type)),
    G(promotion_target_type, SP_T_ENUM, GE(promotion_target_type)),
    G(promotion_website_type, SP_T_ENUM, GE(promotion_website_type)),
    G(optimization_goal, SP_T_ENUM, GE(optimization_goal), .extra = goal_extra),
    G(pixel_id, SP_T_ID),
    G(optimization_event, SP_T_ENUM, GE(optimization_event),
      .extra = event_extra),
    G(billing_event, SP_T_ENUM, GE(billing_event)),
    G(bid_type, SP_T_ENUM, GE(bid_type)),
    G(bid_price, SP_T_NUM, .min = 0, .max = 1e7),
    G(conversion_bid_price, SP_T_NUM, .min = 0, .max = 1e7),
    G(roas_bid, SP_T_NUM, .min = 0, .max = 1000),
    G(deep_bid_type, SP_T_ENUM, GE(deep_bid_type)),
    G(deep_cpabid, SP_T_NUM, .min = 0, .max = 1e7),
    G(vbo_window, SP_T_ENUM, GE(vbo_window)),
    G(budget_mode, SP_T_ENUM, GE(budget_mode)),
    G(budget, SP_T_NUM, .min = 0, .max = 1e9),
    G(min_budget, SP_T_NUM, .min = 0, .max = 1e9),
    G(max_budget, SP_T_NUM, .min = 0, .max = 1e9),
    G(schedule_type, SP_T_ENUM, GE(schedule_type)),
    G(schedule_start_time, SP_T_TIME),
    G(schedule_end_time, SP_T_TIME),
    G(dayparting, SP_T_STR, .max_len = 336),
    G(pacing, SP_T_ENUM, .extra = pacing_values),
    G(placement_type, SP_T_ENUM, GE(placement_type)),
    G(placements, SP_T_STRS, GE(placements), .max_items = 3),
    G(targeting_optimization_mode, SP_T_ENUM, GE(targeting_optimization_mode)),
    G(targeting_spec, SP_T_OBJ, .sub = &sp_targeting_schema),
    G(click_attribution_window, SP_T_ENUM, GE(click_attribution_window)),
    G(view_attribution_window, SP_T_ENUM, GE(view_attribution_window)),
    G(engaged_view_attribution_window, SP_T_ENUM,
      GE(engaged_view_attribution_window)),
    G(attribution_event_count, SP_T_ENUM, GE(attribution_event_count)),
    G(deep_funnel_optimization_status, SP_T_ENUM,
      GE(deep_funnel_optimization_status)),
    G(deep_funnel_event_source, SP_T_ENUM, GE(deep_funnel_event_source)),
    G(deep_funnel_event_source_id, SP_T_STR, .max_len = 64),
    G(deep_funnel_optimization_event, SP_T_ENUM,
      GE(deep_funnel_optimization_event)),
    G(identity_type, SP_T_ENUM, GE(identity_type)),
    G(identity_id, SP_T_STR, .max_len = 128),
    G(identity_authorized_bc_id, SP_T_STR, .max_len = 64),
    G(comment_disabled, SP_T_BOOL),
    G(share_disabled, SP_T_BOOL),
    G(video_download_disabled, SP_T_BOOL),
    G(suggestion_audience_enabled, SP_T_BOOL),
    G(skip_learning_phase, SP_T_BOOL, .flags = SP_F_OUT),
    G(create_time, SP_T_TIME, .flags = SP_F_OUT),
    G(modify_time, SP_T_TIME, .flags = SP_F_OUT),
};
const sp_schema sp_adgroup_schema = {"adgroup", sizeof(sp_adgroup),
                                     adgroup_fields,
                                     SP_ARRAY_LEN(adgroup_fields)};

/* ---- ad ---- */

#define S(st, member, type, ...) SP_FLD(st, member, type, __VA_ARGS__)
static const sp_field video_fields[] = {
    S(sp_video_info, video_id, SP_T_STR, .max_len = 128),
    S(sp_video_info, file_name, SP_T_STR, .max_len = 256),
};
static const sp_schema video_schema = {"video_info", sizeof(sp_video_info),
                                       video_fields, SP_ARRAY_LEN(video_fields)};
static const sp_field image_fields[] = {
    S(sp_image_info, web_uri, SP_T_STR, .max_len = 2048),
};
static const sp_schema image_schema = {"image_info", sizeof(sp_image_info),
                                       image_fields, SP_ARRAY_LEN(image_fields)};
static const sp_field music_fields[] = {
    S(sp_music_info, music_id, SP_T_STR, .max_len = 128),
};
static const sp_schema music_schema = {"music_info", sizeof(sp_music_info),
                                       music_fields, SP_ARRAY_LEN(music_fields)};

#define CE(name) .en = &SP_ENUM_ad_create__creative_list__creative_info__##name
static const sp_field creative_info_fields[] = {
    S(sp_creative_info, ad_format, SP_T_ENUM, CE(ad_format),
      .extra = format_extra),
    S(sp_creative_info, video_info, SP_T_OBJ, .sub = &video_schema),
    /* spec: image_info <= 35 (the carousel limit of the seeds) */
    S(sp_creative_info, image_info, SP_T_OBJS, .sub = &image_schema,
      .max_items = SP_LIMIT_ad_create__creative_list__creative_info__image_info__MAX_ITEMS),
    S(sp_creative_info, music_info, SP_T_OBJ, .sub = &music_schema),
    S(sp_creative_info, tiktok_item_id, SP_T_STR, .max_len = 64),
    S(sp_creative_info, identity_type, SP_T_ENUM, CE(identity_type)),
    S(sp_creative_info, identity_id, SP_T_STR, .max_len = 128),
    S(sp_creative_info, identity_authorized_bc_id, SP_T_STR, .max_len = 64),
    S(sp_creative_info, aigc_disclosure_type, SP_T_ENUM,
      CE(aigc_disclosure_type)),
};
static const sp_schema creative_info_schema = {
    "creative_info", sizeof(sp_creative_info), creative_info_fields,
    SP_ARRAY_LEN(creative_info_fields)};

static const sp_field creative_fields[] = {
    S(sp_creative, ad_material_id, SP_T_STR, .flags = SP_F_OUT),
    S(sp_creative, material_operation_status, SP_T_STR, .flags = SP_F_OUT),
    S(sp_creative, creative_info, SP_T_OBJ, .sub = &creative_info_schema),
};
static const sp_schema creative_schema = {"creative", sizeof(sp_creative),
                                          creative_fields,
                                          SP_ARRAY_LEN(creative_fields)};

static const sp_field ad_text_fields[] = {
    S(sp_ad_text, ad_text, SP_T_STR, .max_len = 100),
};
static const sp_schema ad_text_schema = {"ad_text", sizeof(sp_ad_text),
                                         ad_text_fields,
                                         SP_ARRAY_LEN(ad_text_fields)};
static const sp_field cta_fields[] = {
    S(sp_cta, call_to_action, SP_T_ENUM,
      .en = &SP_ENUM_ad_create__call_to_action_list__call_to_action),
};
static const sp_schema cta_schema = {"call_to_action", sizeof(sp_cta),
                                     cta_fields, SP_ARRAY_LEN(cta_fields)};
static const sp_field landing_fields[] = {
    S(sp_landing, landing_page_url, SP_T_STR, .max_len = 2048),
};
static const sp_schema landing_schema = {"landing_page_url", sizeof(sp_landing),
                                         landing_fields,
                                         SP_ARRAY_LEN(landing_fields)};
static const sp_field page_fields[] = {
    S(sp_page, page_id, SP_T_STR, .max_len = 64),
};
static const sp_schema page_schema = {"page", sizeof(sp_page), page_fields,
                                      SP_ARRAY_LEN(page_fields)};
static const sp_field deeplink_fields[] = {
    S(sp_deeplink, deeplink, SP_T_STR, .max_len = 2048),
    S(sp_deeplink, deeplink_type, SP_T_ENUM,
      .en = &SP_ENUM_ad_create__deeplink_list__deeplink_type),
};
static const sp_schema deeplink_schema = {"deeplink", sizeof(sp_deeplink),
                                          deeplink_fields,
                                          SP_ARRAY_LEN(deeplink_fields)};
static const sp_field utm_fields[] = {
    S(sp_utm, key, SP_T_STR, .max_len = 100),
    S(sp_utm, value, SP_T_STR, .max_len = 1000),
};
static const sp_schema utm_schema = {"utm_params", sizeof(sp_utm), utm_fields,
                                     SP_ARRAY_LEN(utm_fields)};
static const sp_field config_fields[] = {
    S(sp_ad_config, call_to_action_id, SP_T_STR, .max_len = 64),
    S(sp_ad_config, identity_type, SP_T_ENUM,
      .en = &SP_ENUM_ad_create__ad_configuration__identity_type),
    S(sp_ad_config, identity_id, SP_T_STR, .max_len = 128),
    S(sp_ad_config, utm_params, SP_T_OBJS, .sub = &utm_schema,
      .max_items = SP_LIMIT_ad_create__ad_configuration__utm_params__MAX_ITEMS),
    S(sp_ad_config, dark_post_status, SP_T_ENUM,
      .en = &SP_ENUM_ad_create__ad_configuration__dark_post_status),
};
static const sp_schema config_schema = {"ad_configuration",
                                        sizeof(sp_ad_config), config_fields,
                                        SP_ARRAY_LEN(config_fields)};

/* Limits: the seeds win where they are larger (50 creatives, several
 * landing URLs); the rules check the seeds' numbers with clear messages. */
#define SEEDS_MAX_CREATIVES 50
static const sp_field ad_fields[] = {
    S(sp_ad, advertiser_id, SP_T_ID),
    S(sp_ad, campaign_id, SP_T_ID, .flags = SP_F_OUT),
    S(sp_ad, adgroup_id, SP_T_ID),
    S(sp_ad, smart_plus_ad_id, SP_T_ID, .flags = SP_F_OUT),
    S(sp_ad, ad_name, SP_T_STR, .max_len = 512),
    S(sp_ad, operation_status, SP_T_ENUM,
      .en = &SP_ENUM_ad_create__operation_status),
    S(sp_ad, secondary_status, SP_T_STR, .flags = SP_F_OUT),
    S(sp_ad, creative_list, SP_T_OBJS, .sub = &creative_schema,
      .max_items = SEEDS_MAX_CREATIVES),
    S(sp_ad, ad_text_list, SP_T_OBJS, .sub = &ad_text_schema,
      .max_items = SP_LIMIT_ad_create__ad_text_list__MAX_ITEMS),
    S(sp_ad, call_to_action_list, SP_T_OBJS, .sub = &cta_schema,
      .max_items = SP_LIMIT_ad_create__call_to_action_list__MAX_ITEMS),
    S(sp_ad, landing_page_url_list, SP_T_OBJS, .sub = &landing_schema,
      .max_items = 10),
    S(sp_ad, page_list, SP_T_OBJS, .sub = &page_schema,
      .max_items = SP_LIMIT_ad_create__page_list__MAX_ITEMS),
    S(sp_ad, deeplink_list, SP_T_OBJS, .sub = &deeplink_schema,
      .max_items = SP_LIMIT_ad_create__deeplink_list__MAX_ITEMS),
    S(sp_ad, ad_configuration, SP_T_OBJ, .sub = &config_schema),
    S(sp_ad, create_time, SP_T_TIME, .flags = SP_F_OUT),
    S(sp_ad, modify_time, SP_T_TIME, .flags = SP_F_OUT),
};
const sp_schema sp_ad_schema = {"ad", sizeof(sp_ad), ad_fields,
                                SP_ARRAY_LEN(ad_fields)};
