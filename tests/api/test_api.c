/*
 * tests/api/test_api.c - the API in process (no socket): the seeds' campaign
 * requests verbatim, get with fields / filtering / paging, update and
 * status/update, auth and isolation, idempotent creates, bad input.
 */
#include "../testutil.h"
#include "http/server.h"

#include <stdatomic.h>
#include <unistd.h>

#define CREATE "/smart_plus/campaign/create/"

/* ../shared/seeds/001 example 1, verbatim but for the advertiser id */
static const char *seed_cbo =
    "{\n\"advertiser_id\": \"ADV\",\n\"campaign_name\": \"Q2 Web Conversions - CBO\",\n"
    "\"objective_type\": \"WEB_CONVERSIONS\",\n\"budget_optimize_on\": true,\n"
    "\"budget_mode\": \"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\",\n\"budget\": 500\n}";
/* ../shared/seeds/001 example 2 */
static const char *seed_nocbo =
    "{\n\"advertiser_id\": \"ADV\",\n\"campaign_name\": \"Q2 Web Conversions - AdGroup Budgets\",\n"
    "\"objective_type\": \"WEB_CONVERSIONS\",\n\"budget_optimize_on\": false,\n"
    "\"budget_mode\": \"BUDGET_MODE_INFINITE\"\n}";

static const char *create_id(t_env *t, const char *body, char out[24]) {
  json_t *r = t_post(t, CREATE, body);
  t_ok(r);
  snprintf(out, 24, "%s",
           json_string_value(json_object_get(t_data(r), "campaign_id")));
  json_decref(r);
  return out;
}

static void seeds_examples(void **st) {
  (void)st;
  t_env *t = t_env_new();
  json_t *r = t_post(t, CREATE, seed_cbo);
  t_ok(r);
  json_t *d = t_data(r);
  const char *id = json_string_value(json_object_get(d, "campaign_id"));
  assert_non_null(id);
  assert_int_equal(strlen(id), 16);
  assert_string_equal(json_string_value(json_object_get(d, "advertiser_id")), t->adv);
  assert_true(json_is_true(json_object_get(d, "budget_optimize_on")));
  assert_true(json_real_value(json_object_get(d, "budget")) == 500.0);
  assert_string_equal(json_string_value(json_object_get(d, "secondary_status")),
                      "CAMPAIGN_STATUS_ENABLE");
  assert_string_equal(json_string_value(json_object_get(d, "operation_status")), "ENABLE");
  assert_string_equal(json_string_value(json_object_get(d, "create_time")),
                      "2026-04-01 00:00:00");
  json_decref(r);
  r = t_post(t, CREATE, seed_nocbo);
  t_ok(r);
  assert_string_equal(json_string_value(json_object_get(t_data(r), "budget_mode")),
                      "BUDGET_MODE_INFINITE");
  json_decref(r);
  t_env_free(t);
}

static void seeds_rule_messages(void **st) {
  (void)st;
  t_env *t = t_env_new();
  json_t *r = t_post(t, CREATE,
                     "{\"advertiser_id\":\"ADV\",\"campaign_name\":\"x\","
                     "\"objective_type\":\"WEB_CONVERSIONS\","
                     "\"budget_mode\":\"BUDGET_MODE_TOTAL\"}");
  t_expect(r, 40002, "budget: is required when budget_optimize_on is true");
  json_decref(r);
  r = t_post(t, CREATE,
             "{\"advertiser_id\":\"ADV\",\"campaign_name\":\"x\","
             "\"objective_type\":\"CONVERSIONS\"}");
  t_expect(r, 40002, "objective_type: \"CONVERSIONS\" is not an allowed value");
  json_decref(r);
  t_env_free(t);
}

static void get_paging_fields_filtering(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char ids[25][24];
  for (int i = 0; i < 25; i++) create_id(t, seed_cbo, ids[i]);
  char q[1024];
  snprintf(q, sizeof q, "/smart_plus/campaign/get/?advertiser_id=%s", t->adv);
  json_t *r = t_get(t, q);
  t_ok(r);
  json_t *pi = json_object_get(t_data(r), "page_info");
  assert_int_equal(json_integer_value(json_object_get(pi, "page")), 1);
  assert_int_equal(json_integer_value(json_object_get(pi, "page_size")), 10);
  assert_int_equal(json_integer_value(json_object_get(pi, "total_number")), 25);
  assert_int_equal(json_integer_value(json_object_get(pi, "total_page")), 3);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "list")), 10);
  json_decref(r);

  snprintf(q, sizeof q,
           "/smart_plus/campaign/get/?advertiser_id=%s&page=3&page_size=10"
           "&fields=%%5B%%22campaign_id%%22%%2C%%22budget%%22%%5D", t->adv);
  r = t_get(t, q);
  t_ok(r);
  json_t *list = json_object_get(t_data(r), "list");
  assert_int_equal(json_array_size(list), 5);
  assert_int_equal(json_object_size(json_array_get(list, 0)), 2);
  json_decref(r);

  snprintf(q, sizeof q,
           "/smart_plus/campaign/get/?advertiser_id=%s&filtering="
           "{\"campaign_ids\":[\"%s\",\"%s\"]}", t->adv, ids[3], ids[7]);
  r = t_get(t, q);
  t_ok(r);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "list")), 2);
  json_decref(r);

  snprintf(q, sizeof q, "/smart_plus/campaign/get/?advertiser_id=%s&page_size=1001", t->adv);
  r = t_get(t, q);
  t_expect(r, 40002, "page_size: 1001 is out of range; allowed 1 to 1000");
  json_decref(r);
  snprintf(q, sizeof q, "/smart_plus/campaign/get/?advertiser_id=%s&page=0", t->adv);
  r = t_get(t, q);
  t_expect(r, 40002, "page:");
  json_decref(r);
  snprintf(q, sizeof q, "/smart_plus/campaign/get/?advertiser_id=%s&fields=[\"nope\"]", t->adv);
  r = t_get(t, q);
  t_expect(r, 40002, "fields[0]: \"nope\" is not a field of campaign");
  json_decref(r);
  snprintf(q, sizeof q, "/smart_plus/campaign/get/?advertiser_id=%s&filtering={bad", t->adv);
  r = t_get(t, q);
  t_expect(r, 40002, "filtering: is not valid JSON");
  json_decref(r);
  snprintf(q, sizeof q,
           "/smart_plus/campaign/get/?advertiser_id=%s&filtering="
           "{\"primary_status\":\"STATUS_SOMETIMES\"}", t->adv);
  r = t_get(t, q);
  t_expect(r, 40002, "filtering.primary_status");
  json_decref(r);
  snprintf(q, sizeof q,
           "/smart_plus/campaign/get/?advertiser_id=%s&filtering="
           "{\"objective_type\":\"LEAD_GENERATION\"}", t->adv);
  r = t_get(t, q);
  t_ok(r);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "list")), 0);
  json_decref(r);
  snprintf(q, sizeof q,
           "/smart_plus/campaign/get/?advertiser_id=%s&filtering="
           "{\"campaign_name\":\"web conv\"}", t->adv);
  r = t_get(t, q);
  t_ok(r);
  assert_int_equal(json_integer_value(json_object_get(
                       json_object_get(t_data(r), "page_info"), "total_number")),
                   25);
  json_decref(r);
  t_env_free(t);
}

static void update_held_to_create_rules(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char cbo[24], inf[24], body[512];
  create_id(t, seed_cbo, cbo);
  create_id(t, seed_nocbo, inf);
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"%s\",\"budget\":650,"
           "\"campaign_name\":\"renamed\"}", cbo);
  json_t *r = t_post(t, "/smart_plus/campaign/update/", body);
  t_ok(r);
  assert_true(json_real_value(json_object_get(t_data(r), "budget")) == 650.0);
  assert_string_equal(json_string_value(json_object_get(t_data(r), "campaign_name")), "renamed");
  json_decref(r);
  /* INFINITE campaign cannot get a budget */
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"%s\",\"budget\":650}", inf);
  r = t_post(t, "/smart_plus/campaign/update/", body);
  t_expect(r, 40002, "budget: must not be set with BUDGET_MODE_INFINITE");
  json_decref(r);
  /* budget below the minimum */
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"%s\",\"budget\":10}", cbo);
  r = t_post(t, "/smart_plus/campaign/update/", body);
  t_expect(r, 40002, "CAMPAIGN_BUDGET_MIN");
  json_decref(r);
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"%s\","
           "\"budget_mode\":\"BUDGET_MODE_TOTAL\"}", cbo);
  r = t_post(t, "/smart_plus/campaign/update/", body);
  t_expect(r, 40002, "budget_mode: cannot be changed");
  json_decref(r);
  r = t_post(t, "/smart_plus/campaign/update/",
             "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"1840000000999999\",\"budget\":100}");
  t_expect(r, 40007, "does not exist");
  json_decref(r);
  r = t_post(t, "/smart_plus/campaign/update/", "{\"advertiser_id\":\"ADV\"}");
  t_expect(r, 40002, "campaign_id: is required");
  json_decref(r);
  /* the refused updates changed nothing */
  char q[256];
  snprintf(q, sizeof q, "/smart_plus/campaign/get/?advertiser_id=%s&filtering="
           "{\"campaign_ids\":[\"%s\"]}", t->adv, cbo);
  r = t_get(t, q);
  json_t *c = json_array_get(json_object_get(t_data(r), "list"), 0);
  assert_true(json_real_value(json_object_get(c, "budget")) == 650.0);
  assert_string_equal(json_string_value(json_object_get(c, "budget_mode")),
                      "BUDGET_MODE_DYNAMIC_DAILY_BUDGET");
  json_decref(r);
  t_env_free(t);
}

static void status_update(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char a[24], b[24], body[512], q[256];
  create_id(t, seed_cbo, a);
  create_id(t, seed_cbo, b);
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_ids\":[\"%s\",\"1840000000999999\"],"
           "\"operation_status\":\"DISABLE\"}", a);
  json_t *r = t_post(t, "/smart_plus/campaign/status/update/", body);
  t_ok(r);
  json_t *ok = json_object_get(t_data(r), "campaign_list");
  json_t *bad = json_object_get(t_data(r), "error_list");
  assert_int_equal(json_array_size(ok), 1);
  assert_string_equal(json_string_value(json_object_get(json_array_get(ok, 0), "status")), "DISABLE");
  assert_int_equal(json_array_size(bad), 1);
  assert_non_null(strstr(json_string_value(json_object_get(json_array_get(bad, 0),
                                                           "error_message")),
                         "does not exist"));
  json_decref(r);
  /* DELETE: gone from get unless filtered for */
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_ids\":[\"%s\"],"
           "\"operation_status\":\"DELETE\"}", b);
  r = t_post(t, "/smart_plus/campaign/status/update/", body);
  t_ok(r);
  json_decref(r);
  snprintf(q, sizeof q, "/smart_plus/campaign/get/?advertiser_id=%s", t->adv);
  r = t_get(t, q);
  json_t *list = json_object_get(t_data(r), "list");
  assert_int_equal(json_array_size(list), 1);
  assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0),
                                                        "secondary_status")),
                      "CAMPAIGN_STATUS_DISABLE");
  json_decref(r);
  snprintf(q, sizeof q, "/smart_plus/campaign/get/?advertiser_id=%s&filtering="
           "{\"primary_status\":\"STATUS_ALL\"}", t->adv);
  r = t_get(t, q);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "list")), 2);
  json_decref(r);
  snprintf(q, sizeof q, "/smart_plus/campaign/get/?advertiser_id=%s&filtering="
           "{\"secondary_status\":\"CAMPAIGN_STATUS_DELETE\"}", t->adv);
  r = t_get(t, q);
  list = json_object_get(t_data(r), "list");
  assert_int_equal(json_array_size(list), 1);
  assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0),
                                                        "campaign_id")), b);
  json_decref(r);
  /* a deleted campaign cannot come back */
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_ids\":[\"%s\"],"
           "\"operation_status\":\"ENABLE\"}", b);
  r = t_post(t, "/smart_plus/campaign/status/update/", body);
  t_ok(r);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "error_list")), 1);
  json_decref(r);
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_id\":\"%s\",\"budget\":600}", b);
  r = t_post(t, "/smart_plus/campaign/update/", body);
  t_expect(r, 40007, "deleted");
  json_decref(r);
  /* limits and enums */
  char many[2048] = "{\"advertiser_id\":\"ADV\",\"operation_status\":\"DISABLE\",\"campaign_ids\":[";
  for (int i = 0; i < 21; i++)
    sprintf(many + strlen(many), "%s\"%d\"", i ? "," : "", 1000 + i);
  strcat(many, "]}");
  r = t_post(t, "/smart_plus/campaign/status/update/", many);
  t_expect(r, 40002, "campaign_ids: has 21 ids; the maximum is 20");
  json_decref(r);
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"ADV\",\"campaign_ids\":[\"%s\"],"
           "\"operation_status\":\"PAUSE\"}", a);
  r = t_post(t, "/smart_plus/campaign/status/update/", body);
  t_expect(r, 40002, "allowed: DELETE, DISABLE, ENABLE");
  json_decref(r);
  r = t_post(t, "/smart_plus/campaign/status/update/",
             "{\"advertiser_id\":\"ADV\",\"campaign_ids\":[],\"operation_status\":\"ENABLE\"}");
  t_expect(r, 40002, "at least one");
  json_decref(r);
  t_env_free(t);
}

static void auth_and_isolation(void **st) {
  (void)st;
  t_env *t = t_env_new();
  sp_err e;
  sp_advertiser other = {7000000000000000002LL, "other", 1, "USD", "UTC"};
  sp_advertiser closed = {7000000000000000003LL, "closed", 0, "USD", "UTC"};
  assert_int_equal(store_advertiser_put(t->st, &other, &e), SP_OK);
  assert_int_equal(store_advertiser_put(t->st, &closed, &e), SP_OK);
  sp_token tb = {SP_SCOPE_ALL, 2, {other.id, closed.id}};
  sp_token report_only = {SP_SCOPE_REPORT, 1, {t->demo.advertiser_id}};
  assert_int_equal(store_token_put(t->st, "tok-b", &tb, &e), SP_OK);
  assert_int_equal(store_token_put(t->st, "tok-report", &report_only, &e), SP_OK);
  char mine[24];
  create_id(t, seed_cbo, mine);
  const char *p = "/open_api/v1.3/smart_plus/campaign/create/";

  json_t *r = t_req(t, "POST", p, NULL, seed_cbo, NULL);
  t_expect(r, 40104, "Access token is null");
  json_decref(r);
  r = t_req(t, "POST", p, "wrong", seed_cbo, NULL);
  t_expect(r, 40105, "incorrect or has been revoked");
  json_decref(r);
  r = t_req(t, "POST", p, "tok-report", seed_cbo, NULL);
  t_expect(r, 40130, "Upgraded Smart Plus Ads");
  json_decref(r);
  /* token B naming the demo advertiser */
  r = t_req(t, "POST", p, "tok-b", seed_cbo, NULL);
  t_expect(r, 40001, "No permission to operate advertiser");
  json_decref(r);
  /* not allowlisted */
  r = t_req(t, "POST", p, "tok-b",
            "{\"advertiser_id\":\"7000000000000000003\",\"campaign_name\":\"x\","
            "\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":"
            "\"BUDGET_MODE_TOTAL\",\"budget\":100}", NULL);
  t_expect(r, 40118, "not allowlisted for Upgraded Smart+");
  json_decref(r);
  /* B guesses A's campaign id with its own advertiser id */
  char body[512], q[512];
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"7000000000000000002\",\"campaign_id\":\"%s\","
           "\"budget\":999}", mine);
  r = t_req(t, "POST", "/open_api/v1.3/smart_plus/campaign/update/", "tok-b", body, NULL);
  t_expect(r, 40007, "does not exist");
  json_decref(r);
  snprintf(body, sizeof body,
           "{\"advertiser_id\":\"7000000000000000002\",\"campaign_ids\":[\"%s\"],"
           "\"operation_status\":\"DELETE\"}", mine);
  r = t_req(t, "POST", "/open_api/v1.3/smart_plus/campaign/status/update/", "tok-b", body, NULL);
  t_ok(r);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "campaign_list")), 0);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "error_list")), 1);
  json_decref(r);
  snprintf(q, sizeof q,
           "/open_api/v1.3/smart_plus/campaign/get/?advertiser_id=7000000000000000002"
           "&filtering={\"campaign_ids\":[\"%s\"]}", mine);
  r = t_req(t, "GET", q, "tok-b", NULL, NULL);
  t_ok(r);
  assert_int_equal(json_array_size(json_object_get(t_data(r), "list")), 0);
  json_decref(r);
  /* A's campaign is untouched */
  snprintf(q, sizeof q, "/smart_plus/campaign/get/?advertiser_id=%s", t->adv);
  r = t_get(t, q);
  json_t *c = json_array_get(json_object_get(t_data(r), "list"), 0);
  assert_true(json_real_value(json_object_get(c, "budget")) == 500.0);
  json_decref(r);
  /* the spec's query-parameter form of the token is accepted too */
  snprintf(q, sizeof q,
           "/open_api/v1.3/smart_plus/campaign/get/?advertiser_id=%s&Access-Token=%s",
           t->adv, T_TOKEN);
  r = t_req(t, "GET", q, NULL, NULL, NULL);
  t_ok(r);
  json_decref(r);
  t_env_free(t);
}

static void idempotent_create(void **st) {
  (void)st;
  t_env *t = t_env_new();
  const char *body =
      "{\"advertiser_id\":\"ADV\",\"request_id\":\"123456789\",\"campaign_name\":\"i\","
      "\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":\"BUDGET_MODE_TOTAL\","
      "\"budget\":100}";
  char a[24], b[24], q[256];
  create_id(t, body, a);
  create_id(t, body, b);
  assert_string_equal(a, b);
  snprintf(q, sizeof q, "/smart_plus/campaign/get/?advertiser_id=%s", t->adv);
  json_t *r = t_get(t, q);
  assert_int_equal(json_integer_value(json_object_get(
                       json_object_get(t_data(r), "page_info"), "total_number")), 1);
  json_decref(r);
  r = t_post(t, CREATE,
             "{\"advertiser_id\":\"ADV\",\"request_id\":\"123456789\",\"campaign_name\":\"other\","
             "\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":\"BUDGET_MODE_TOTAL\","
             "\"budget\":100}");
  t_expect(r, 40050, "request_id: 123456789 was already used for a different request");
  json_decref(r);
  r = t_post(t, CREATE,
             "{\"advertiser_id\":\"ADV\",\"request_id\":\"not-a-number\",\"campaign_name\":\"i\","
             "\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":\"BUDGET_MODE_TOTAL\","
             "\"budget\":100}");
  t_expect(r, 40002, "request_id: must be a string holding a 64-bit integer");
  json_decref(r);
  /* a refused create with a request_id does not burn the key */
  r = t_post(t, CREATE,
             "{\"advertiser_id\":\"ADV\",\"request_id\":\"5\",\"campaign_name\":\"i\","
             "\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":\"BUDGET_MODE_TOTAL\"}");
  t_expect(r, 40002, "budget");
  json_decref(r);
  r = t_post(t, CREATE,
             "{\"advertiser_id\":\"ADV\",\"request_id\":\"5\",\"campaign_name\":\"i\","
             "\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":\"BUDGET_MODE_TOTAL\","
             "\"budget\":100}");
  t_ok(r);
  json_decref(r);
  t_env_free(t);
}

static void bad_input(void **st) {
  (void)st;
  t_env *t = t_env_new();
  int http;
  json_t *r = t_post(t, CREATE, "{\"advertiser_id\": \"ADV\", \"campaign_name\": }");
  t_expect(r, 40000, "invalid JSON at byte");
  /* an error's request_id too: the virtual clock's time, then digits that
   * differ from one answer to the next (t_call checks the form) */
  char rid[40];
  snprintf(rid, sizeof rid, "%s", json_string_value(json_object_get(r, "request_id")));
  assert_memory_equal(rid, "20260401000000", 14);
  json_decref(r);
  r = t_post(t, CREATE, "{}");
  assert_memory_equal(json_string_value(json_object_get(r, "request_id")), rid, 14);
  assert_string_not_equal(json_string_value(json_object_get(r, "request_id")), rid);
  json_decref(r);
  r = t_post(t, CREATE, "{\"advertiser_id\":\"ADV\",\"budget\":1,\"budget\":2}");
  t_expect(r, 40000, "duplicate object key");
  json_decref(r);
  r = t_post(t, CREATE, "[1,2]");
  t_expect(r, 40000, "expected a JSON object");
  json_decref(r);
  r = t_post(t, CREATE, "");
  t_expect(r, 40000, "empty");
  json_decref(r);
  r = t_post(t, CREATE, "{\"advertiser_id\":\"ADV\"} trailing");
  t_expect(r, 40000, "invalid JSON");
  json_decref(r);
  r = t_post(t, CREATE,
             "{\"advertiser_id\":\"ADV\",\"campaign_name\":\"x\",\"objective_type\":"
             "\"WEB_CONVERSIONS\",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":\"500\"}");
  t_expect(r, 40002, "budget: expected a number, got a string");
  json_decref(r);
  r = t_post(t, CREATE,
             "{\"advertiser_id\":\"ADV\",\"campaign_name\":\"x\",\"objective_type\":"
             "\"WEB_CONVERSIONS\",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":"
             "99999999999999999999999}");
  t_expect(r, 40000, "invalid JSON"); /* integer too big for jansson */
  json_decref(r);
  r = t_post(t, CREATE,
             "{\"advertiser_id\":\"ADV\",\"campaign_name\":\"x\",\"objective_type\":"
             "\"WEB_CONVERSIONS\",\"budget_mode\":\"BUDGET_MODE_TOTAL\",\"budget\":1e12}");
  t_expect(r, 40002, "budget: 1e+12 is out of range");
  json_decref(r);
  r = t_post(t, CREATE, "{\"advertiser_id\":12.5}");
  t_expect(r, 40002, "advertiser_id");
  json_decref(r);
  r = t_post(t, CREATE, "{\"campaign_name\":\"x\"}");
  t_expect(r, 40002, "advertiser_id: is required");
  json_decref(r);
  r = t_req(t, "GET", "/open_api/v1.3/smart_plus/nothing/", T_TOKEN, NULL, &http);
  t_expect(r, 40400, "Route not found");
  assert_int_equal(http, 404);
  json_decref(r);
  r = t_req(t, "POST", "/open_api/v1.3/smart_plus/campaign/create", T_TOKEN, seed_cbo, &http);
  t_expect(r, 40400, "end with '/'");
  json_decref(r);
  r = t_req(t, "GET", "/open_api/v1.3/smart_plus/campaign/create/", T_TOKEN, NULL, &http);
  t_expect(r, 40400, "use POST");
  assert_int_equal(http, 405);
  json_decref(r);
  /* a body the transport cut at SP_MAX_BODY */
  sp_request rq = {"POST", "/open_api/v1.3/smart_plus/campaign/create/", NULL, 0,
                   T_TOKEN, NULL, 0, 1};
  sp_response rs;
  sp_api_handle(t->app, &rq, &rs);
  assert_int_equal(rs.status, 413);
  assert_non_null(strstr(rs.body, "\"code\":40000"));
  sp_response_free(&rs);
  /* nothing was created by any of it */
  char q[256];
  snprintf(q, sizeof q, "/smart_plus/campaign/get/?advertiser_id=%s", t->adv);
  r = t_get(t, q);
  assert_int_equal(json_integer_value(json_object_get(
                       json_object_get(t_data(r), "page_info"), "total_number")), 0);
  json_decref(r);
  r = t_get(t, "/smart_plus/campaign/get/?advertiser_id=abc");
  t_expect(r, 40002, "advertiser_id");
  json_decref(r);
  t_env_free(t);
}

static void pixels(void **st) {
  (void)st;
  t_env *t = t_env_new();
  json_t *r = t_post(t, "/pixel/create/",
                     "{\"advertiser_id\":\"ADV\",\"pixel_name\":\"Shop\","
                     "\"pixel_category\":\"ONLINE_STORE\",\"event_sources\":[\"EVENTS_API\"]}");
  t_ok(r);
  const char *code = json_string_value(json_object_get(t_data(r), "pixel_code"));
  assert_int_equal(strlen(code), 20);
  assert_int_equal(strlen(json_string_value(json_object_get(t_data(r), "pixel_id"))), 19);
  json_decref(r);
  r = t_post(t, "/pixel/create/", "{\"advertiser_id\":\"ADV\"}");
  t_expect(r, 40002, "pixel_name: is required");
  json_decref(r);
  r = t_post(t, "/pixel/create/",
             "{\"advertiser_id\":\"ADV\",\"pixel_name\":\"x\",\"pixel_category\":\"SHOP\"}");
  t_expect(r, 40002, "pixel_category");
  json_decref(r);
  char q[256];
  snprintf(q, sizeof q, "/pixel/list/?advertiser_id=%s", t->adv);
  r = t_get(t, q);
  t_ok(r);
  json_t *px = json_object_get(t_data(r), "pixels");
  assert_int_equal(json_array_size(px), 2); /* demo pixel + Shop */
  assert_string_equal(json_string_value(json_object_get(json_array_get(px, 0), "pixel_name")),
                      "Demo Pixel");
  json_decref(r);
  snprintf(q, sizeof q, "/pixel/list/?advertiser_id=%s&page_size=21", t->adv);
  r = t_get(t, q);
  t_expect(r, 40002, "page_size");
  json_decref(r);
  t_env_free(t);
}

/* A server's I/O threads answer writes once their batch is committed
 * (sp_api_handle_deferred), and an answer whose COMMIT failed becomes a
 * store error (sp_api_settle); reads never wait. */
typedef struct seen_w {
  store_waiter w;
  _Atomic int calls;
} seen_w;

static void seen_fn(store_waiter *w) { atomic_fetch_add(&((seen_w *)w->arg)->calls, 1); }

static json_t *deferred(t_env *t, const char *method, const char *path,
                        const char *body, seen_w *sw, int *waited) {
  sp_request rq = {.method = method, .path = path, .token = T_TOKEN,
                   .body = body, .body_len = body ? strlen(body) : 0};
  sp_response rs;
  memset(sw, 0, sizeof *sw);
  sw->w.fn = seen_fn;
  sw->w.arg = sw;
  *waited = sp_api_handle_deferred(t->app, &rq, &rs, &sw->w);
  for (int i = 0; *waited && i < 5000 && atomic_load(&sw->calls) == 0; i++)
    usleep(1000);
  if (*waited) assert_int_equal(atomic_load(&sw->calls), 1);
  sp_api_settle(t->app, &sw->w, &rs);
  json_t *j = json_loadb(rs.body, rs.len, 0, NULL);
  sp_response_free(&rs);
  assert_non_null(j);
  return j;
}

/* A campaign create's body for advertiser adv. */
static void campaign_body(char *body, size_t n, const char *adv,
                          const char *name) {
  snprintf(body, n,
           "{\"advertiser_id\":\"%s\",\"campaign_name\":\"%s\","
           "\"objective_type\":\"WEB_CONVERSIONS\",\"budget_mode\":"
           "\"BUDGET_MODE_DYNAMIC_DAILY_BUDGET\",\"budget\":500}", adv, name);
}

static void deferred_answers(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char body[512], path[160];
  campaign_body(body, sizeof body, t->adv, "Deferred");
  seen_w sw;
  int waited;
  json_t *r = deferred(t, "POST", "/open_api/v1.3/smart_plus/campaign/create/",
                       body, &sw, &waited);
  assert_int_equal(json_integer_value(json_object_get(r, "code")), 0);
  const char *id = json_string_value(
      json_object_get(json_object_get(r, "data"), "campaign_id"));
  assert_non_null(id);
  /* committed: a plain read sees it */
  snprintf(path, sizeof path,
           "/open_api/v1.3/smart_plus/campaign/get/?advertiser_id=%s", t->adv);
  int http;
  json_t *g = t_req(t, "GET", path, T_TOKEN, NULL, &http);
  char *listed = json_dumps(g, 0);
  assert_non_null(strstr(listed, id));
  free(listed);
  json_decref(g);
  json_decref(r);

  /* a read writes nothing: answered at once, no callback */
  snprintf(path, sizeof path, "/open_api/v1.3/smart_plus/campaign/get/");
  r = deferred(t, "GET", path, NULL, &sw, &waited);
  assert_int_equal(waited, 0);
  assert_int_equal(atomic_load(&sw.calls), 0);
  json_decref(r);

  /* a COMMIT that failed: the answer is a store error, not the object */
  sp_request rq = {.method = "POST",
                   .path = "/open_api/v1.3/smart_plus/campaign/create/",
                   .token = T_TOKEN, .body = body, .body_len = strlen(body)};
  sp_response rs;
  sp_api_handle(t->app, &rq, &rs);
  store_waiter failed = {.rc = SP_E_SYSTEM};
  sp_api_settle(t->app, &failed, &rs);
  json_t *f = json_loadb(rs.body, rs.len, 0, NULL);
  assert_int_equal(json_integer_value(json_object_get(f, "code")), 50000);
  assert_non_null(strstr(json_string_value(json_object_get(f, "message")),
                         "store error (commit)"));
  assert_true(json_is_null(json_object_get(f, "data")) ||
              !json_object_get(json_object_get(f, "data"), "campaign_id"));
  json_decref(f);
  sp_response_free(&rs);

  /* what runs where */
  sp_request adv = {.method = "POST", .path = "/sandbox/clock/advance"};
  sp_request ev = {.method = "POST", .path = "/open_api/v1.3/event/track/"};
  assert_int_equal(sp_api_deferrable(&adv), 0);
  assert_int_equal(sp_api_deferrable(&ev), 0);
  assert_int_equal(sp_api_deferrable(&rq), 1);
  t_env_free(t);
}

/* An I/O thread with nothing left to do commits the batch itself
 * (sp_api_commit_now): the waiter is answered before it returns, not at
 * the committer's next look (after at least 100 us of quiet). */
static void commit_now_answers(void **st) {
  (void)st;
  t_env *t = t_env_new();
  char body[512], path[160];
  campaign_body(body, sizeof body, t->adv, "Now");
  sp_request rq = {.method = "POST",
                   .path = "/open_api/v1.3/smart_plus/campaign/create/",
                   .token = T_TOKEN, .body = body, .body_len = strlen(body)};
  int n_waited = 0;
  for (int i = 0; i < 20; i++) {
    seen_w sw;
    memset(&sw, 0, sizeof sw);
    sw.w.fn = seen_fn;
    sw.w.arg = &sw;
    sp_response rs;
    int waited = sp_api_handle_deferred(t->app, &rq, &rs, &sw.w);
    /* Not waiting: the committer took the batch first, which it does once
     * nothing joined it for 100 us, here if this thread was held up that
     * long between its write and the check (seen once in CI, under ASan
     * on a busy machine). The answer is then final, and fn never called. */
    if (waited) {
      n_waited++;
      sp_api_commit_now(t->app);
      assert_int_equal(atomic_load(&sw.calls), 1);
    } else {
      assert_int_equal(atomic_load(&sw.calls), 0);
    }
    assert_int_equal(sw.w.rc, SP_OK);
    sp_api_settle(t->app, &sw.w, &rs);
    json_t *r = json_loadb(rs.body, rs.len, 0, NULL);
    sp_response_free(&rs);
    assert_int_equal(json_integer_value(json_object_get(r, "code")), 0);
    json_decref(r);
  }
  assert_true(n_waited > 0); /* twenty misses in a row: commit_now untested */
  /* committed: a plain read counts all twenty */
  snprintf(path, sizeof path,
           "/open_api/v1.3/smart_plus/campaign/get/?advertiser_id=%s"
           "&page_size=1", t->adv);
  int http;
  json_t *g = t_req(t, "GET", path, T_TOKEN, NULL, &http);
  json_t *pi = json_object_get(json_object_get(g, "data"), "page_info");
  assert_int_equal(json_integer_value(json_object_get(pi, "total_number")), 20);
  json_decref(g);
  /* nothing open: a no-op */
  sp_api_commit_now(t->app);
  t_env_free(t);
}

/* When the server commits a batch at once: an I/O thread with only
 * waiting connections, and 3/4 of all connections waiting. */
static void batch_due_rule(void **st) {
  (void)st;
  /* one connection that waits: a client sending one create at a time */
  assert_true(sp_server_batch_due((int[]){1, 0}, (int[]){1, 0}, 2));
  /* nothing waits, or no thread is out of work */
  assert_false(sp_server_batch_due((int[]){0, 0}, (int[]){0, 0}, 2));
  assert_false(sp_server_batch_due((int[]){31, 31}, (int[]){32, 32}, 2));
  /* a thread out of work, and 48 of 64 waiting: due; 47 of 64: not */
  assert_true(sp_server_batch_due((int[]){32, 16}, (int[]){32, 32}, 2));
  assert_false(sp_server_batch_due((int[]){32, 15}, (int[]){32, 32}, 2));
  /* every connection waits */
  assert_true(sp_server_batch_due((int[]){32, 32}, (int[]){32, 32}, 2));
  /* a thread with no connection is not out of work */
  assert_false(sp_server_batch_due((int[]){0, 3}, (int[]){0, 4}, 2));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(seeds_examples),
      cmocka_unit_test(deferred_answers),
      cmocka_unit_test(commit_now_answers),
      cmocka_unit_test(batch_due_rule),
      cmocka_unit_test(seeds_rule_messages),
      cmocka_unit_test(get_paging_fields_filtering),
      cmocka_unit_test(update_held_to_create_rules),
      cmocka_unit_test(status_update),
      cmocka_unit_test(auth_and_isolation),
      cmocka_unit_test(idempotent_create),
      cmocka_unit_test(bad_input),
      cmocka_unit_test(pixels),
  };
  return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
