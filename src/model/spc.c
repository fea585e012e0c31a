/*
 * model/spc.c - descriptors of the legacy Smart+ campaign (seeds/003).
 * Enum lists are the document's own (the official spec has no spc files);
 * per-field limits the document states (max sizes, lengths, ranges) are
 * enforced here by the decoder; cross-field rules are src/rules/spc.c.
 */
#include "spc.h"

#include <stddef.h>
#include <string.h>

#define L(...) (const char *const[]){__VA_ARGS__, NULL}

const char *const spc_currencies[] = {
    "AED", "ARS", "AUD", "BDT", "BHD", "BOB", "BRL", "BYN", "CAD", "CHF",
    "CLP", "CNY", "COP", "CRC", "CZK", "DKK", "DZD", "EGP", "EUR", "GBP",
    "GTQ", "HKD", "HNL", "HUF", "IDR", "ILS", "INR", "IQD", "ISK", "JOD",
    "JPY", "KES", "KHR", "KRW", "KWD", "KZT", "LBP", "LKR", "MAD", "MOP",
    "MXN", "MYR", "NGN", "NIO", "NOK", "NZD", "OMR", "PEN", "PHP", "PKR",
    "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "SAR", "SEK", "SGD", "THB",
    "TRY", "TWD", "UAH", "USD", "UYU", "VEF", "VND", "ZAR", NULL};

#define E(st, member, ...) \
  SP_FLD(st, member, SP_T_ENUM, .extra = L(__VA_ARGS__))

/* --- nested objects --- */
static const sp_field app_config_fields[] = {
    SP_FLD(spc_app_config, app_id, SP_T_STR, .max_len = 256),
};
static const sp_schema app_config_schema = {
    "app_config", sizeof(spc_app_config), app_config_fields,
    SP_ARRAY_LEN(app_config_fields)};

static const sp_field video_fields[] = {
    SP_FLD(spc_video_info, video_id, SP_T_STR, .max_len = 256),
    SP_FLD(spc_video_info, file_name, SP_T_STR, .max_len = 512),
};
static const sp_schema video_schema = {"video_info", sizeof(spc_video_info),
                                       video_fields, SP_ARRAY_LEN(video_fields)};
static const sp_field image_fields[] = {
    SP_FLD(spc_image_info, web_uri, SP_T_STR, .max_len = 512),
};
static const sp_schema image_schema = {"image_info", sizeof(spc_image_info),
                                       image_fields, SP_ARRAY_LEN(image_fields)};
static const sp_field music_fields[] = {
    SP_FLD(spc_music_info, music_id, SP_T_STR, .max_len = 256),
};
static const sp_schema music_schema = {"music_info", sizeof(spc_music_info),
                                       music_fields, SP_ARRAY_LEN(music_fields)};

#define MI(member, type, ...) SP_FLD(spc_media_info, member, type, __VA_ARGS__)
static const sp_field media_info_fields[] = {
    MI(video_info, SP_T_OBJ, .sub = &video_schema),
    /* seeds/003: one to 35 carousel images */
    MI(image_info, SP_T_OBJS, .sub = &image_schema, .max_items = 35),
    MI(music_info, SP_T_OBJ, .sub = &music_schema),
    E(spc_media_info, aigc_disclosure_type, "SELF_DISCLOSURE", "NOT_DECLARED"),
    MI(tiktok_item_id, SP_T_STR, .max_len = 256),
    MI(identity_id, SP_T_STR, .max_len = 256),
    E(spc_media_info, identity_type, "AUTH_CODE", "TT_USER", "BC_AUTH_TT"),
    MI(identity_authorized_bc_id, SP_T_STR, .max_len = 256),
    E(spc_media_info, dark_post_status, "ON", "OFF"),
};
static const sp_schema media_info_schema = {
    "media_info", sizeof(spc_media_info), media_info_fields,
    SP_ARRAY_LEN(media_info_fields)};
static const sp_field media_fields[] = {
    SP_FLD(spc_media, media_info, SP_T_OBJ, .sub = &media_info_schema),
};
static const sp_schema media_schema = {"media", sizeof(spc_media), media_fields,
                                       SP_ARRAY_LEN(media_fields)};

static const sp_field title_fields[] = {
    SP_FLD(spc_title, title, SP_T_STR, .max_len = 1000),
};
static const sp_schema title_schema = {"title", sizeof(spc_title), title_fields,
                                       SP_ARRAY_LEN(title_fields)};
static const sp_field cta_fields[] = {
    /* "For enum values, see Enumeration - Call-to-action": the spec's list */
    SP_FLD(spc_cta, call_to_action, SP_T_ENUM,
           .en = &SP_ENUM_ad_create__call_to_action_list__call_to_action),
};
static const sp_schema cta_schema = {"call_to_action", sizeof(spc_cta),
                                     cta_fields, SP_ARRAY_LEN(cta_fields)};

#define PR(member, type, ...) SP_FLD(spc_promo, member, type, __VA_ARGS__)
static const sp_field promo_fields[] = {
    E(spc_promo, discount_type, "PERCENTAGE", "CASH"),
    PR(discount_value, SP_T_NUM),
    PR(discount_currency, SP_T_ENUM, .extra = spc_currencies),
    /* seeds/003: 30 characters, CJK counting two */
    PR(promo_code, SP_T_STR, .max_len = 30),
    E(spc_promo, minimum_purchase_type, "QUANTITY", "SUBTOTAL"),
    PR(minimum_purchase_value, SP_T_NUM),
    PR(minimum_purchase_currency, SP_T_ENUM, .extra = spc_currencies),
    PR(valid_start_time, SP_T_TIME),
    PR(valid_end_time, SP_T_TIME),
};
static const sp_schema promo_schema = {"promo_info", sizeof(spc_promo),
                                       promo_fields, SP_ARRAY_LEN(promo_fields)};

static const sp_field card_fields[] = {
    SP_FLD(spc_card, card_id, SP_T_STR, .max_len = 256),
};
static const sp_schema card_schema = {"card", sizeof(spc_card), card_fields,
                                      SP_ARRAY_LEN(card_fields)};
static const sp_field page_fields[] = {
    SP_FLD(spc_page, page_id, SP_T_STR, .max_len = 256),
};
static const sp_schema page_schema = {"page", sizeof(spc_page), page_fields,
                                      SP_ARRAY_LEN(page_fields)};

static const sp_field landing_fields[] = {
    SP_FLD(spc_landing, landing_page_url, SP_T_STR, .max_len = 2048),
    SP_FLD(spc_landing, video_id, SP_T_STR, .max_len = 256),
    SP_FLD(spc_landing, tiktok_item_id, SP_T_STR, .max_len = 256),
};
static const sp_schema landing_schema = {"landing_page_url",
                                         sizeof(spc_landing), landing_fields,
                                         SP_ARRAY_LEN(landing_fields)};

/* seeds/003: custom key up to 100 characters, custom value up to 600 */
static const sp_field utm_fields[] = {
    SP_FLD(spc_utm, key, SP_T_STR, .max_len = 100),
    SP_FLD(spc_utm, value, SP_T_STR, .max_len = 600),
};
static const sp_schema utm_schema = {"utm_param", sizeof(spc_utm), utm_fields,
                                     SP_ARRAY_LEN(utm_fields)};

static const sp_field dtext_fields[] = {
    SP_FLD(spc_disclaimer_text, text, SP_T_STR, .max_len = 90),
};
static const sp_schema dtext_schema = {"disclaimer_text",
                                       sizeof(spc_disclaimer_text), dtext_fields,
                                       SP_ARRAY_LEN(dtext_fields)};
static const sp_field dlink_fields[] = {
    SP_FLD(spc_disclaimer_link, text, SP_T_STR, .max_len = 40),
    SP_FLD(spc_disclaimer_link, url, SP_T_STR, .max_len = 2048),
};
static const sp_schema dlink_schema = {"disclaimer_clickable_text",
                                       sizeof(spc_disclaimer_link), dlink_fields,
                                       SP_ARRAY_LEN(dlink_fields)};
static const sp_field disclaimer_fields[] = {
    E(spc_disclaimer, disclaimer_type, "TEXT_LINK", "TEXT_ONLY"),
    SP_FLD(spc_disclaimer, disclaimer_text, SP_T_OBJ, .sub = &dtext_schema),
    SP_FLD(spc_disclaimer, disclaimer_clickable_texts, SP_T_OBJS,
           .sub = &dlink_schema, .max_items = 3),
};
static const sp_schema disclaimer_schema = {
    "disclaimer_info", sizeof(spc_disclaimer), disclaimer_fields,
    SP_ARRAY_LEN(disclaimer_fields)};

static const sp_field app_tracking_fields[] = {
    E(spc_app_tracking, app_type, "APP_ANDROID", "APP_IOS"),
    SP_FLD(spc_app_tracking, app_id, SP_T_STR, .max_len = 256),
    SP_FLD(spc_app_tracking, impression_tracking_url, SP_T_STR, .max_len = 2048),
    SP_FLD(spc_app_tracking, click_tracking_url, SP_T_STR, .max_len = 2048),
};
static const sp_schema app_tracking_schema = {
    "app_tracking_info", sizeof(spc_app_tracking), app_tracking_fields,
    SP_ARRAY_LEN(app_tracking_fields)};

/* --- the campaign --- */
#define F(member, type, ...) SP_FLD(spc, member, type, __VA_ARGS__)
#define FE(member, ...) E(spc, member, __VA_ARGS__)
#define OUT .flags = SP_F_OUT

static const sp_field spc_fields[] = {
    F(advertiser_id, SP_T_ID),
    F(campaign_id, SP_T_ID, OUT),
    FE(operation_status, "ENABLE", "DISABLE"),
    F(campaign_secondary_status, SP_T_STR, OUT),
    F(adgroup_secondary_status, SP_T_STR, OUT),
    F(is_smart_performance_campaign, SP_T_BOOL, OUT),
    FE(objective_type, "APP_PROMOTION", "WEB_CONVERSIONS", "LEAD_GENERATION"),
    FE(spc_type, "WEB_ALL_IN_ONE", "UNSET"),
    FE(web_all_in_one_catalog_status, "OPEN", "UNSET"),
    FE(app_promotion_type, "APP_INSTALL"),
    FE(virtual_objective_type, "SALES"),
    FE(sales_destination, "WEBSITE", "WEB_AND_APP"),
    FE(campaign_type, "REGULAR_CAMPAIGN", "IOS14_CAMPAIGN"),
    /* request: ON, OFF; the response also shows INVALID, UNSET */
    FE(campaign_app_profile_page_state, "ON", "OFF", "UNSET", "INVALID"),
    F(is_advanced_dedicated_campaign, SP_T_BOOL),
    F(disable_skan_campaign, SP_T_BOOL),
    F(bid_align_type, SP_T_STR, OUT),
    F(campaign_name, SP_T_STR, .max_len = 512),
    F(special_industries, SP_T_STRS, .extra = L("HOUSING", "EMPLOYMENT", "CREDIT"),
      .max_items = 3),
    FE(product_source, "CATALOG"),
    F(catalog_id, SP_T_STR, .max_len = 256),
    F(catalog_authorized_bc_id, SP_T_STR, .max_len = 256),
    FE(product_specific_type, "ALL", "PRODUCT_SET", "CUSTOMIZED_PRODUCTS"),
    F(product_set_id, SP_T_STR, .max_len = 256),
    F(product_ids, SP_T_STRS, .max_items = 20),
    FE(promotion_type, "APP_ANDROID", "APP_IOS", "WEBSITE", "LEAD_GENERATION"),
    F(app_id, SP_T_STR, .max_len = 256),
    F(app_type, SP_T_STR, OUT),
    FE(promotion_website_type, "TIKTOK_NATIVE_PAGE"),
    FE(promotion_target_type, "INSTANT_PAGE", "EXTERNAL_WEBSITE"),
    FE(optimization_goal, "CLICK", "INSTALL", "IN_APP_EVENT", "VALUE", "CONVERT",
       "TRAFFIC_LANDING_PAGE_VIEW", "LEAD_GENERATION"),
    F(pixel_id, SP_T_STR, .max_len = 256),
    /* "For the supported app and pixel events, see Conversion events" */
    F(optimization_event, SP_T_ENUM,
      .en = &SP_ENUM_adgroup_create__optimization_event),
    F(app_config, SP_T_OBJS, .sub = &app_config_schema, .max_items = 2),
    FE(deep_funnel_optimization_status, "ON", "OFF"),
    FE(deep_funnel_event_source, "PIXEL", "OFFLINE", "CRM"),
    F(deep_funnel_event_source_id, SP_T_STR, .max_len = 256),
    F(deep_funnel_optimization_event, SP_T_ENUM,
      .en = &SP_ENUM_adgroup_create__deep_funnel_optimization_event),
    FE(bid_type, "BID_TYPE_NO_BID", "BID_TYPE_CUSTOM"),
    F(bid_price, SP_T_NUM, .min = 0, .max = 1e9),
    F(conversion_bid_price, SP_T_NUM, .min = 0, .max = 1e9),
    FE(deep_bid_type, "DEFAULT", "AEO", "VO_MIN_ROAS", "VO_HIGHEST_VALUE"),
    /* seeds/003: "Value range: 0.01-1,000" */
    F(roas_bid, SP_T_NUM, .min = 0.01, .max = 1000),
    F(incentive_offer_type, SP_T_STR, OUT),
    FE(vbo_window, "SEVEN_DAYS", "ZERO_DAY"),
    FE(click_attribution_window, "OFF", "ONE_DAY", "SEVEN_DAYS", "FOURTEEN_DAYS",
       "TWENTY_EIGHT_DAYS"),
    FE(engaged_view_attribution_window, "ONE_DAY", "SEVEN_DAYS", "FOURTEEN_DAYS",
       "TWENTY_EIGHT_DAYS"),
    FE(view_attribution_window, "OFF", "ONE_DAY", "SEVEN_DAYS"),
    FE(attribution_event_count, "UNSET", "EVERY", "ONCE"),
    FE(billing_event, "OCPM", "CPC"),
    F(location_ids, SP_T_STRS),
    F(languages, SP_T_STRS),
    FE(gender, "GENDER_FEMALE", "GENDER_MALE", "GENDER_UNLIMITED"),
    FE(spc_audience_age, "18+", "25+"),
    F(exclude_age_under_eighteen, SP_T_BOOL),
    F(excluded_audience_ids, SP_T_STRS),
    FE(placement_type, "PLACEMENT_TYPE_NORMAL", "PLACEMENT_TYPE_AUTOMATIC"),
    F(placements, SP_T_STRS, .extra = L("PLACEMENT_TIKTOK", "PLACEMENT_PANGLE"),
      .max_items = 2),
    F(comment_disabled, SP_T_BOOL),
    F(share_disabled, SP_T_BOOL),
    F(video_download_disabled, SP_T_BOOL),
    F(blocked_pangle_app_ids, SP_T_STRS),
    F(brand_safety_type, SP_T_STR, OUT),
    F(category_exclusion_ids, SP_T_STRS, OUT),
    FE(budget_mode, "BUDGET_MODE_DAY", "BUDGET_MODE_DYNAMIC_DAILY_BUDGET"),
    F(budget, SP_T_NUM, .min = 0, .max = 1e9),
    F(scheduled_budget, SP_T_NUM, OUT),
    FE(schedule_type, "SCHEDULE_START_END", "SCHEDULE_FROM_NOW"),
    F(schedule_start_time, SP_T_TIME),
    F(schedule_end_time, SP_T_TIME),
    F(dayparting, SP_T_STR),
    F(skip_learning_phase, SP_T_BOOL, OUT),
    FE(identity_type, "CUSTOMIZED_USER"),
    F(identity_id, SP_T_STR, .max_len = 256),
    F(app_download_url, SP_T_STR, OUT),
    F(app_name, SP_T_STR, OUT),
    /* seeds/003: "Max size: 30" */
    F(media_info_list, SP_T_OBJS, .sub = &media_schema, .max_items = 30),
    F(catalog_creative_toggle, SP_T_BOOL),
    F(title_list, SP_T_OBJS, .sub = &title_schema),
    F(call_to_action_id, SP_T_STR, .max_len = 256),
    F(call_to_action_list, SP_T_OBJS, .sub = &cta_schema),
    F(promo_info_list, SP_T_OBJS, .sub = &promo_schema, .max_items = 10),
    F(card_list, SP_T_OBJS, .sub = &card_schema, .max_items = 1),
    F(automatic_add_on_enabled, SP_T_BOOL),
    F(page_list, SP_T_OBJS, .sub = &page_schema, .max_items = 1),
    F(deeplink, SP_T_STR, .max_len = 2048),
    FE(deeplink_type, "DEFERRED_DEEPLINK"),
    F(landing_page_urls, SP_T_OBJS, .sub = &landing_schema, .max_items = 30),
    F(utm_params, SP_T_OBJS, .sub = &utm_schema, .max_items = 14),
    F(disclaimer_info, SP_T_OBJ, .sub = &disclaimer_schema),
    F(tracking_app_id, SP_T_STR, .max_len = 256),
    F(impression_tracking_url, SP_T_STR, .max_len = 2048),
    F(click_tracking_url, SP_T_STR, .max_len = 2048),
    F(app_tracking_info_list, SP_T_OBJS, .sub = &app_tracking_schema,
      .max_items = 4),
    F(carousel_image_index, SP_T_STR, OUT),
    F(carousel_image_labels, SP_T_STRS, OUT),
    F(shopping_ads_fallback_type, SP_T_STR, OUT),
    F(create_time, SP_T_TIME, OUT),
    F(modify_time, SP_T_TIME, OUT),
};

const sp_schema spc_schema = {"spc", sizeof(spc), spc_fields,
                              SP_ARRAY_LEN(spc_fields)};

#define M(member, type, ...) SP_FLD(spc_manual, member, type, __VA_ARGS__)
static const sp_field manual_fields[] = {
    M(advertiser_id, SP_T_ID),
    M(campaign_id, SP_T_ID, OUT),
    M(campaign_name, SP_T_STR, .max_len = 512),
    E(spc_manual, objective_type, "APP_PROMOTION", "WEB_CONVERSIONS",
      "LEAD_GENERATION", "REACH", "TRAFFIC", "VIDEO_VIEWS", "ENGAGEMENT",
      "PRODUCT_SALES"),
    E(spc_manual, budget_mode, "BUDGET_MODE_DAY", "BUDGET_MODE_TOTAL",
      "BUDGET_MODE_INFINITE", "BUDGET_MODE_DYNAMIC_DAILY_BUDGET"),
    M(budget, SP_T_NUM, .min = 0, .max = 1e9),
    E(spc_manual, operation_status, "ENABLE", "DISABLE"),
    M(create_time, SP_T_TIME, OUT),
    M(modify_time, SP_T_TIME, OUT),
};

const sp_schema spc_manual_schema = {"manual_campaign", sizeof(spc_manual),
                                     manual_fields, SP_ARRAY_LEN(manual_fields)};

void spc_fill_nulls(const sp_schema *s, json_t *j) {
  if (!json_is_object(j)) return;
  for (size_t i = 0; i < s->n_fields; i++) {
    const sp_field *f = &s->fields[i];
    json_t *v = json_object_get(j, f->name);
    if (!v) {
      json_object_set_new(j, f->name, json_null());
      continue;
    }
    if (f->type == SP_T_OBJ && f->sub) {
      spc_fill_nulls(f->sub, v);
    } else if (f->type == SP_T_OBJS && f->sub && json_is_array(v)) {
      size_t k;
      json_t *it;
      json_array_foreach(v, k, it) spc_fill_nulls(f->sub, it);
    }
  }
}
