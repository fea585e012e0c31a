/*
 * test_event_rules.c - every per-event rule of the Events API (and the
 * browser Pixel), each with one accepted and one refused event, through
 * sp_events_validate: the same check /event/track/ runs on each data[] item.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "events/events.h"

#define NOW 1775001600LL /* 2026-04-01 00:00:00 */
#define SHA "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

static sp_rc check(const char *json, int source, sp_err *e) {
  json_error_t je;
  json_t *ev = json_loads(json, 0, &je);
  if (!ev) fail_msg("bad test JSON %s: %s", json, je.text);
  sp_err_clear(e);
  sp_rc rc = sp_events_validate(ev, source, NOW, e);
  json_decref(ev);
  return rc;
}

#define OK(json) \
  do { \
    sp_err e_; \
    if (check(json, SP_EV_SERVER, &e_) != SP_OK) \
      fail_msg("refused %s: %s %s (%s)", json, e_.field, e_.msg, e_.rule); \
  } while (0)
#define NO(rule_, field_, json) \
  do { \
    sp_err e_; \
    if (check(json, SP_EV_SERVER, &e_) == SP_OK) fail_msg("accepted %s, wanted %s", json, rule_); \
    if (strcmp(e_.rule, rule_) != 0 || strcmp(e_.field, field_) != 0) \
      fail_msg("%s: wanted %s on %s, got %s on %s", json, rule_, field_, e_.rule, e_.field); \
  } while (0)

/* "event":"CompletePayment","event_time":NOW plus `rest` */
#define EV(rest) "{\"event\":\"CompletePayment\",\"event_time\":1775001600" rest "}"

static void event_and_time(void **st) {
  (void)st;
  OK(EV(""));
  NO("TYPE", "", "[1]");
  NO("EVENT_REQUIRED", "event", "{\"event_time\":1775001600}");
  NO("EVENT_NAME", "event", "{\"event\":\"\",\"event_time\":1775001600}");
  NO("EVENT_NAME", "event", "{\"event\":7,\"event_time\":1775001600}");
  NO("EVENT_NAME", "event",
     "{\"event\":\"x23456789012345678901234567890123456789012345678901\","
     "\"event_time\":1775001600}");
  NO("EVENT_TIME_REQUIRED", "event_time", "{\"event\":\"CompletePayment\"}");
  NO("TYPE", "event_time", "{\"event\":\"CompletePayment\",\"event_time\":\"1775001600\"}");
  NO("EVENT_TIME_UNIT", "event_time",
     "{\"event\":\"CompletePayment\",\"event_time\":1775001600000}");
  /* the window: 7 days back, 10 minutes ahead, inclusive */
  OK("{\"event\":\"CompletePayment\",\"event_time\":1774396800}");
  NO("EVENT_TIME_WINDOW", "event_time", "{\"event\":\"CompletePayment\",\"event_time\":1774396799}");
  OK("{\"event\":\"CompletePayment\",\"event_time\":1775002200}");
  NO("EVENT_TIME_WINDOW", "event_time", "{\"event\":\"CompletePayment\",\"event_time\":1775002201}");
  /* the browser Pixel may leave event_time to the server */
  sp_err e;
  assert_int_equal(check("{\"event\":\"CompletePayment\"}", SP_EV_BROWSER, &e), SP_OK);
}

static void event_id(void **st) {
  (void)st;
  OK(EV(",\"event_id\":\"order-42\""));
  OK(EV(",\"event_id\":null"));
  NO("EVENT_ID", "event_id", EV(",\"event_id\":42"));
  char big[400];
  snprintf(big, sizeof big, EV(",\"event_id\":\"%0257d\""), 0);
  NO("EVENT_ID", "event_id", big);
}

static void user_and_page(void **st) {
  (void)st;
  OK(EV(",\"user\":{\"email\":\"" SHA "\",\"phone\":[\"" SHA "\"],\"ttp\":\"t\"}"));
  NO("TYPE", "user", EV(",\"user\":[]"));
  NO("PII_HASHED", "user.email", EV(",\"user\":{\"email\":\"me@example.com\"}"));
  NO("PII_HASHED", "user.phone", EV(",\"user\":{\"phone\":[\"+15551234567\"]}"));
  NO("TYPE", "user.external_id", EV(",\"user\":{\"external_id\":7}"));
  NO("TYPE", "user.external_id",
     EV(",\"user\":{\"external_id\":[\"" SHA "\",\"" SHA "\",\"" SHA "\",\"" SHA "\",\"" SHA
        "\",\"" SHA "\",\"" SHA "\",\"" SHA "\",\"" SHA "\",\"" SHA "\",\"" SHA "\"]}"));
  NO("TYPE", "user.ttp", EV(",\"user\":{\"ttp\":1}"));
  OK(EV(",\"page\":{\"url\":\"https://shop.example/thanks\"}"));
  NO("TYPE", "page", EV(",\"page\":\"https://shop.example\""));
  NO("TYPE", "page.url", EV(",\"page\":{\"url\":1}"));
}

static void properties(void **st) {
  (void)st;
  OK(EV(",\"properties\":{\"value\":20.5,\"currency\":\"USD\",\"contents\":[{\"content_id\":\"a\"}]}"));
  NO("TYPE", "properties", EV(",\"properties\":[]"));
  NO("VALUE_NUMBER", "properties.value", EV(",\"properties\":{\"value\":\"$20\",\"currency\":\"USD\"}"));
  NO("CURRENCY", "properties.currency", EV(",\"properties\":{\"value\":20,\"currency\":\"usd\"}"));
  NO("CURRENCY_REQUIRED", "properties.currency", EV(",\"properties\":{\"value\":20}"));
  NO("TYPE", "properties.contents", EV(",\"properties\":{\"contents\":{}}"));
  NO("TYPE", "properties.contents", EV(",\"properties\":{\"contents\":[1]}"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(event_and_time),
      cmocka_unit_test(event_id),
      cmocka_unit_test(user_and_page),
      cmocka_unit_test(properties),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
