/*
 * spc.h - the LEGACY Smart+ campaign (/campaign/spc/create/, update, get):
 * one object holding campaign, its single ad group and its ads, exactly as
 * ../shared/seeds/003 describes it (field names as the document writes
 * them). Members marked OUT are response-only.
 *
 * The legacy API is deprecated on a timeline (src/api/spc.c); the object
 * itself stays readable after every deadline.
 */
#ifndef SP_MODEL_SPC_H
#define SP_MODEL_SPC_H

#include "schema.h"

typedef struct spc_app_config { sp_opt_str app_id; } spc_app_config;

typedef struct spc_video_info {
  sp_opt_str video_id;
  sp_opt_str file_name;
} spc_video_info;
typedef struct spc_image_info { sp_opt_str web_uri; } spc_image_info;
typedef struct spc_music_info { sp_opt_str music_id; } spc_music_info;

typedef struct spc_media_info {
  sp_opt_obj video_info;              /* spc_video_info */
  sp_opt_list image_info;             /* spc_image_info */
  sp_opt_obj music_info;              /* spc_music_info */
  sp_opt_str aigc_disclosure_type;
  sp_opt_str tiktok_item_id;          /* Spark Ads Pull */
  sp_opt_str identity_id;             /* Spark Ads identity */
  sp_opt_str identity_type;
  sp_opt_str identity_authorized_bc_id;
  sp_opt_str dark_post_status;
} spc_media_info;

typedef struct spc_media { sp_opt_obj media_info; } spc_media;

typedef struct spc_title { sp_opt_str title; } spc_title;
typedef struct spc_cta { sp_opt_str call_to_action; } spc_cta;

typedef struct spc_promo {
  sp_opt_str discount_type;
  sp_opt_num discount_value;
  sp_opt_str discount_currency;
  sp_opt_str promo_code;
  sp_opt_str minimum_purchase_type;
  sp_opt_num minimum_purchase_value;
  sp_opt_str minimum_purchase_currency;
  sp_opt_str valid_start_time;
  sp_opt_str valid_end_time;
} spc_promo;

typedef struct spc_card { sp_opt_str card_id; } spc_card;
typedef struct spc_page { sp_opt_str page_id; } spc_page;

typedef struct spc_landing {
  sp_opt_str landing_page_url;
  sp_opt_str video_id;
  sp_opt_str tiktok_item_id;
} spc_landing;

typedef struct spc_utm {
  sp_opt_str key;
  sp_opt_str value;
} spc_utm;

typedef struct spc_disclaimer_text { sp_opt_str text; } spc_disclaimer_text;
typedef struct spc_disclaimer_link {
  sp_opt_str text;
  sp_opt_str url;
} spc_disclaimer_link;
typedef struct spc_disclaimer {
  sp_opt_str disclaimer_type;
  sp_opt_obj disclaimer_text;         /* spc_disclaimer_text */
  sp_opt_list disclaimer_clickable_texts; /* spc_disclaimer_link */
} spc_disclaimer;

typedef struct spc_app_tracking {
  sp_opt_str app_type;
  sp_opt_str app_id;
  sp_opt_str impression_tracking_url;
  sp_opt_str click_tracking_url;
} spc_app_tracking;

typedef struct spc {
  sp_opt_id advertiser_id;
  sp_opt_id campaign_id;              /* OUT (update: the target) */
  sp_opt_str operation_status;
  sp_opt_str campaign_secondary_status; /* OUT, computed */
  sp_opt_str adgroup_secondary_status;  /* OUT, computed */
  sp_opt_bool is_smart_performance_campaign; /* OUT */
  sp_opt_str objective_type;
  sp_opt_str spc_type;
  sp_opt_str web_all_in_one_catalog_status;
  sp_opt_str app_promotion_type;
  sp_opt_str virtual_objective_type;
  sp_opt_str sales_destination;
  sp_opt_str campaign_type;
  sp_opt_str campaign_app_profile_page_state;
  sp_opt_bool is_advanced_dedicated_campaign;
  sp_opt_bool disable_skan_campaign;
  sp_opt_str bid_align_type;          /* OUT */
  sp_opt_str campaign_name;
  sp_opt_strs special_industries;
  sp_opt_str product_source;
  sp_opt_str catalog_id;
  sp_opt_str catalog_authorized_bc_id;
  sp_opt_str product_specific_type;
  sp_opt_str product_set_id;
  sp_opt_strs product_ids;
  sp_opt_str promotion_type;
  sp_opt_str app_id;
  sp_opt_str app_type;                /* OUT, from promotion_type */
  sp_opt_str promotion_website_type;
  sp_opt_str promotion_target_type;
  sp_opt_str optimization_goal;
  sp_opt_str pixel_id;
  sp_opt_str optimization_event;
  sp_opt_list app_config;             /* spc_app_config */
  sp_opt_str deep_funnel_optimization_status;
  sp_opt_str deep_funnel_event_source;
  sp_opt_str deep_funnel_event_source_id;
  sp_opt_str deep_funnel_optimization_event;
  sp_opt_str bid_type;
  sp_opt_num bid_price;
  sp_opt_num conversion_bid_price;
  sp_opt_str deep_bid_type;
  sp_opt_num roas_bid;
  sp_opt_str incentive_offer_type;    /* OUT */
  sp_opt_str vbo_window;
  sp_opt_str click_attribution_window;
  sp_opt_str engaged_view_attribution_window;
  sp_opt_str view_attribution_window;
  sp_opt_str attribution_event_count;
  sp_opt_str billing_event;
  sp_opt_strs location_ids;
  sp_opt_strs languages;
  sp_opt_str gender;
  sp_opt_str spc_audience_age;
  sp_opt_bool exclude_age_under_eighteen;
  sp_opt_strs excluded_audience_ids;
  sp_opt_str placement_type;
  sp_opt_strs placements;
  sp_opt_bool comment_disabled;
  sp_opt_bool share_disabled;
  sp_opt_bool video_download_disabled;
  sp_opt_strs blocked_pangle_app_ids;
  sp_opt_str brand_safety_type;       /* OUT */
  sp_opt_strs category_exclusion_ids; /* OUT */
  sp_opt_str budget_mode;
  sp_opt_num budget;
  sp_opt_num scheduled_budget;        /* OUT */
  sp_opt_str schedule_type;
  sp_opt_str schedule_start_time;
  sp_opt_str schedule_end_time;
  sp_opt_str dayparting;
  sp_opt_bool skip_learning_phase;    /* OUT */
  sp_opt_str identity_type;
  sp_opt_str identity_id;
  sp_opt_str app_download_url;        /* OUT */
  sp_opt_str app_name;                /* OUT */
  sp_opt_list media_info_list;        /* spc_media */
  sp_opt_bool catalog_creative_toggle;
  sp_opt_list title_list;             /* spc_title */
  sp_opt_str call_to_action_id;
  sp_opt_list call_to_action_list;    /* spc_cta */
  sp_opt_list promo_info_list;        /* spc_promo */
  sp_opt_list card_list;              /* spc_card */
  sp_opt_bool automatic_add_on_enabled;
  sp_opt_list page_list;              /* spc_page */
  sp_opt_str deeplink;
  sp_opt_str deeplink_type;
  sp_opt_list landing_page_urls;      /* spc_landing */
  sp_opt_list utm_params;             /* spc_utm */
  sp_opt_obj disclaimer_info;         /* spc_disclaimer */
  sp_opt_str tracking_app_id;
  sp_opt_str impression_tracking_url;
  sp_opt_str click_tracking_url;
  sp_opt_list app_tracking_info_list; /* spc_app_tracking */
  /* in the document's response example, described nowhere else: OUT */
  sp_opt_str carousel_image_index;
  sp_opt_strs carousel_image_labels;
  sp_opt_str shopping_ads_fallback_type;
  sp_opt_str create_time;             /* OUT */
  sp_opt_str modify_time;             /* OUT */
} spc;

extern const sp_schema spc_schema;

/* The legacy manual campaign (/campaign/create/), with the minimal body
 * the sandbox keeps of it. */
typedef struct spc_manual {
  sp_opt_id advertiser_id;
  sp_opt_id campaign_id;              /* OUT */
  sp_opt_str campaign_name;
  sp_opt_str objective_type;
  sp_opt_str budget_mode;
  sp_opt_num budget;
  sp_opt_str operation_status;
  sp_opt_str create_time;             /* OUT */
  sp_opt_str modify_time;             /* OUT */
} spc_manual;

extern const sp_schema spc_manual_schema;

/* The supported values of discount_currency / minimum_purchase_currency
 * (seeds/003 "List of values ..."), NULL-ended. */
extern const char *const spc_currencies[];

/* The whole object as the document's example shows it: every member of
 * `s` (recursively inside objects and lists of objects) that `j` lacks is
 * added as null. */
void spc_fill_nulls(const sp_schema *s, json_t *j);

#endif
