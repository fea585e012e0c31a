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

#endif
