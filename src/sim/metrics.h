/*
 * metrics.h - what delivery produces and reports read: one row per ad,
 * creative (ad_material_id) and UTC hour. The simulator (src/sim) writes
 * these rows; report/integrated/get and smart_plus/material_report/... sum
 * them up to ad, ad group, campaign and advertiser, by hour or by day.
 *
 * Money is in micro-units of the advertiser's currency (integers, so sums
 * are exact and reports byte-identical for the same seed).
 */
#ifndef SP_SIM_METRICS_H
#define SP_SIM_METRICS_H

#include <stdint.h>

typedef struct sp_metric_row {
  int64_t advertiser_id;
  int64_t campaign_id;
  int64_t adgroup_id;
  int64_t ad_id;          /* smart_plus_ad_id */
  int64_t material_id;    /* ad_material_id of the creative shown */
  int64_t hour;           /* unix seconds, start of the UTC hour */
  int64_t impressions;
  int64_t clicks;
  int64_t spend_micros;
  int64_t conversions;    /* attributed, after dedup by event_id */
  int64_t conversions_raw;/* attributed copies before dedup (double counts) */
  int64_t view_through;   /* of `conversions`, those attributed to a view */
} sp_metric_row;

#endif
