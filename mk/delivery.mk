# The simulator behind the sandbox clock (issue 6): the server side that
# feeds the engine (mk/sim.mk) the stored objects and stores its report rows.
LIB_SRCS += src/api/delivery.c
