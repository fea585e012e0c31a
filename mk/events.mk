# events: conversion events pipeline (Events API 2.0, browser Pixel, dedup)
LIB_SRCS += src/events/events.c src/api/events.c
UNIT_TESTS += tests/api/test_events
UNIT_TESTS += tests/events/test_event_rules
