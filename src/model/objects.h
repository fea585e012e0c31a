/*
 * objects.h - the typed structs of the API objects smartplus stores, and
 * their descriptors (schema.h). One member per JSON field of the live API
 * (the spec's *_create.yml files and the get response_rule);
 * members marked OUT in the descriptor are response-only.
 */
#ifndef SP_MODEL_OBJECTS_H
#define SP_MODEL_OBJECTS_H

#include "schema.h"

/* Upgraded Smart+ campaign (smart_plus/campaign/create, get, update). */
typedef struct sp_campaign {
  sp_opt_id advertiser_id;
  sp_opt_id campaign_id;               /* OUT */
  sp_opt_str campaign_name;
  sp_opt_str objective_type;
  sp_opt_bool budget_optimize_on;
  sp_opt_str budget_mode;
  sp_opt_num budget;
  sp_opt_str operation_status;
  sp_opt_str secondary_status;         /* OUT */
  sp_opt_str sales_destination;
  sp_opt_strs special_industries;
  sp_opt_str campaign_type;
  sp_opt_str app_promotion_type;
  sp_opt_id app_id;
  sp_opt_str bid_align_type;
  sp_opt_bool catalog_enabled;
  sp_opt_str catalog_type;
  sp_opt_bool disable_skan_campaign;
  sp_opt_bool is_advanced_dedicated_campaign;
  sp_opt_bool is_promotional_campaign;
  sp_opt_str po_number;
  sp_opt_str postback_window_mode;
  sp_opt_str campaign_app_profile_page_state;
  sp_opt_str smart_plus_adgroup_mode;  /* OUT */
  sp_opt_str create_time;              /* OUT */
  sp_opt_str modify_time;              /* OUT */
} sp_campaign;

extern const sp_schema sp_campaign_schema;

/* Pixel (pixel/create, pixel/list). `sources` records which channels feed
 * it (browser Pixel, Events API): the ad group LANDING_PAGE rule reads it. */
typedef struct sp_pixel {
  sp_opt_id advertiser_id;
  sp_opt_id pixel_id;                  /* OUT */
  sp_opt_str pixel_code;               /* OUT */
  sp_opt_str pixel_name;
  sp_opt_str pixel_category;
  sp_opt_str partner_name;
  sp_opt_str activity_status;          /* OUT */
  sp_opt_str pixel_setup_mode;         /* OUT */
  sp_opt_strs event_sources;           /* BROWSER, EVENTS_API */
  sp_opt_str create_time;              /* OUT */
} sp_pixel;

extern const sp_schema sp_pixel_schema;

/* targeting_spec of an ad group (spec: adgroup_create.targeting_spec). */
typedef struct sp_action {
  sp_opt_str action_scene;
  sp_opt_int action_period;
  sp_opt_strs video_user_actions;
  sp_opt_strs action_category_ids;
} sp_action;

typedef struct sp_targeting {
  sp_opt_strs location_ids;
  sp_opt_strs zipcode_ids;
  sp_opt_strs languages;
  sp_opt_strs age_groups;
  sp_opt_str gender;
  sp_opt_str spc_audience_age;
  sp_opt_strs audience_ids;
  sp_opt_strs excluded_audience_ids;
  sp_opt_str saved_audience_id;
  sp_opt_strs interest_category_ids;
  sp_opt_strs interest_keyword_ids;
  sp_opt_strs purchase_intention_keyword_ids;
  sp_opt_list actions;
  sp_opt_strs operating_systems;
  sp_opt_str min_android_version;
  sp_opt_str min_ios_version;
  sp_opt_strs device_model_ids;
  sp_opt_strs device_price_ranges;
  sp_opt_strs network_types;
  sp_opt_strs carrier_ids;
  sp_opt_strs isp_ids;
  sp_opt_strs household_income;
  sp_opt_str spending_power;
  sp_opt_bool smart_audience_enabled;
  sp_opt_bool smart_interest_behavior_enabled;
  sp_opt_strs blocked_pangle_app_ids;
  sp_opt_strs included_pangle_audience_package_ids;
  sp_opt_strs excluded_pangle_audience_package_ids;
  sp_opt_str app_targeting_type;
} sp_targeting;

extern const sp_schema sp_targeting_schema;

/* Upgraded Smart+ ad group (smart_plus/adgroup/create, get, update). */
typedef struct sp_adgroup {
  sp_opt_id advertiser_id;
  sp_opt_id campaign_id;
  sp_opt_id adgroup_id;                /* OUT */
  sp_opt_str adgroup_name;
  sp_opt_str operation_status;
  sp_opt_str secondary_status;         /* OUT */
  sp_opt_str promotion_type;
  sp_opt_str promotion_target_type;
  sp_opt_str promotion_website_type;
  sp_opt_str optimization_goal;
  sp_opt_id pixel_id;
  sp_opt_str optimization_event;
  sp_opt_str billing_event;
  sp_opt_str bid_type;
  sp_opt_num bid_price;
  sp_opt_num conversion_bid_price;
  sp_opt_num roas_bid;
  sp_opt_str deep_bid_type;
  sp_opt_num deep_cpabid;
  sp_opt_str vbo_window;
  sp_opt_str budget_mode;
  sp_opt_num budget;
  sp_opt_num min_budget;
  sp_opt_num max_budget;               /* seeds: floor and ceiling */
  sp_opt_str schedule_type;
  sp_opt_str schedule_start_time;
  sp_opt_str schedule_end_time;
  sp_opt_str dayparting;
  sp_opt_str pacing;
  sp_opt_str placement_type;
  sp_opt_strs placements;
  sp_opt_str targeting_optimization_mode;
  sp_opt_obj targeting_spec;           /* sp_targeting */
  sp_opt_str click_attribution_window;
  sp_opt_str view_attribution_window;
  sp_opt_str engaged_view_attribution_window;
  sp_opt_str attribution_event_count;
  sp_opt_str deep_funnel_optimization_status;
  sp_opt_str deep_funnel_event_source;
  sp_opt_str deep_funnel_event_source_id;
  sp_opt_str deep_funnel_optimization_event;
  sp_opt_str identity_type;
  sp_opt_str identity_id;
  sp_opt_str identity_authorized_bc_id;
  sp_opt_bool comment_disabled;
  sp_opt_bool share_disabled;
  sp_opt_bool video_download_disabled;
  sp_opt_bool suggestion_audience_enabled;
  sp_opt_bool skip_learning_phase;     /* OUT */
  sp_opt_str create_time;              /* OUT */
  sp_opt_str modify_time;              /* OUT */
} sp_adgroup;

extern const sp_schema sp_adgroup_schema;

/* Upgraded Smart+ ad (smart_plus/ad/create, get, update). */
typedef struct sp_video_info {
  sp_opt_str video_id;
  sp_opt_str file_name;
} sp_video_info;
typedef struct sp_image_info {
  sp_opt_str web_uri;
} sp_image_info;
typedef struct sp_music_info {
  sp_opt_str music_id;
} sp_music_info;

typedef struct sp_creative_info {
  sp_opt_str ad_format;
  sp_opt_obj video_info;               /* sp_video_info */
  sp_opt_list image_info;              /* sp_image_info */
  sp_opt_obj music_info;               /* sp_music_info */
  sp_opt_str tiktok_item_id;           /* Spark Ad when set */
  sp_opt_str identity_type;
  sp_opt_str identity_id;
  sp_opt_str identity_authorized_bc_id;
  sp_opt_str aigc_disclosure_type;
} sp_creative_info;

typedef struct sp_creative {
  sp_opt_str ad_material_id;           /* OUT */
  sp_opt_str material_operation_status; /* OUT */
  sp_opt_obj creative_info;            /* sp_creative_info */
} sp_creative;

typedef struct sp_ad_text { sp_opt_str ad_text; } sp_ad_text;
typedef struct sp_cta { sp_opt_str call_to_action; } sp_cta;
typedef struct sp_landing { sp_opt_str landing_page_url; } sp_landing;
typedef struct sp_page { sp_opt_str page_id; } sp_page;
typedef struct sp_deeplink {
  sp_opt_str deeplink;
  sp_opt_str deeplink_type;
} sp_deeplink;
typedef struct sp_utm {
  sp_opt_str key;
  sp_opt_str value;
} sp_utm;

typedef struct sp_ad_config {
  sp_opt_str call_to_action_id;
  sp_opt_str identity_type;
  sp_opt_str identity_id;
  sp_opt_list utm_params;              /* sp_utm */
  sp_opt_str dark_post_status;
} sp_ad_config;

typedef struct sp_ad {
  sp_opt_id advertiser_id;
  sp_opt_id campaign_id;               /* OUT */
  sp_opt_id adgroup_id;
  sp_opt_id smart_plus_ad_id;          /* OUT */
  sp_opt_str ad_name;
  sp_opt_str operation_status;
  sp_opt_str secondary_status;         /* OUT */
  sp_opt_list creative_list;           /* sp_creative */
  sp_opt_list ad_text_list;            /* sp_ad_text */
  sp_opt_list call_to_action_list;     /* sp_cta */
  sp_opt_list landing_page_url_list;   /* sp_landing */
  sp_opt_list page_list;               /* sp_page */
  sp_opt_list deeplink_list;           /* sp_deeplink */
  sp_opt_obj ad_configuration;         /* sp_ad_config */
  sp_opt_str create_time;              /* OUT */
  sp_opt_str modify_time;              /* OUT */
} sp_ad;

extern const sp_schema sp_ad_schema;

/* Seeds' spellings -> the spec's (LANDING_PAGE -> TRAFFIC_LANDING_PAGE_VIEW,
 * COMPLETE_PAYMENT -> SHOPPING, CAROUSEL -> CAROUSEL_ADS ...). Returns v
 * itself when it has no other spelling. */
const char *sp_canonical(const char *v);

#endif
