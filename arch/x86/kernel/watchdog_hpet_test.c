// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the pure helpers of the HPET NMI hard lockup detector:
 * period and comparator arithmetic, the TSC attribution window, the
 * attribution of unclaimed NMIs to the target CPU (interleaved foreign
 * NMIs, latched ticks, two CPUs racing), the round-robin CPU choice and
 * the FSB message.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/module.h>

#include "watchdog_hpet.h"

struct period_case {
	unsigned long freq;
	const char *name;
};

static const struct period_case period_cases[] = {
	{ 14318180, "14.318MHz" },
	{ 25000000, "25MHz" },
	{ 100000000, "100MHz" },
};

static void period_case_desc(const struct period_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(period, period_cases, period_case_desc);

/* Every thresh 1..60 and 1..8 slots: 0.225 * thresh per round. */
static void period_math(struct kunit *test)
{
	const struct period_case *c = test->param_value;
	unsigned int thresh, slots;
	u64 ticks;

	for (thresh = 1; thresh <= 60; thresh++) {
		for (slots = 1; slots <= 8; slots++) {
			u64 want = div_u64((u64)thresh * c->freq * 9, 40 * slots);
			int ret = hpet_wdt_period_ticks(c->freq, thresh, slots,
							&ticks);

			KUNIT_ASSERT_EQ_MSG(test, ret, 0, "thresh %u slots %u",
					    thresh, slots);
			KUNIT_EXPECT_EQ_MSG(test, ticks, want,
					    "thresh %u slots %u", thresh, slots);
			/* One round of @slots periods is 0.225 * thresh. */
			KUNIT_EXPECT_LE(test, ticks * slots * 40,
					(u64)thresh * c->freq * 9);
			KUNIT_EXPECT_GT(test, (ticks + 1) * slots * 40,
					(u64)thresh * c->freq * 9);
			KUNIT_EXPECT_LE(test, ticks, HPET_WDT_MAX_PERIOD_32);
		}
	}
}

/* The comparator runs in 32-bit mode: what does not fit 31 bits is refused. */
static void period_comparator_width(struct kunit *test)
{
	unsigned long fast = 200000000;	/* 60 s * 0.225 = 2.7e9 ticks > 2^31 */
	u64 ticks = 7;

	KUNIT_EXPECT_EQ(test, hpet_wdt_period_ticks(fast, 60, 1, &ticks), -ERANGE);
	KUNIT_EXPECT_EQ(test, ticks, 7ULL);
	KUNIT_EXPECT_EQ(test, hpet_wdt_period_ticks(fast, 47, 1, &ticks), 0);
	KUNIT_EXPECT_EQ(test, ticks, 2115000000ULL);
	/* Every thresh at 100 MHz fits, one slot (ipi) included. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_period_ticks(100000000, 60, 1, &ticks), 0);
	KUNIT_EXPECT_EQ(test, ticks, 1350000000ULL);
}

static void period_bad_input(struct kunit *test)
{
	u64 ticks = 7;

	KUNIT_EXPECT_EQ(test, hpet_wdt_period_ticks(0, 10, 1, &ticks), -EINVAL);
	KUNIT_EXPECT_EQ(test, hpet_wdt_period_ticks(14318180, 0, 1, &ticks), -EINVAL);
	KUNIT_EXPECT_EQ(test, hpet_wdt_period_ticks(14318180, 10, 0, &ticks), -EINVAL);
	/* 0.225 s / 4096 = 55 us, below the 100 us floor. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_period_ticks(14318180, 1, 4096, &ticks),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, ticks, 7ULL);
}

static void ticks_to_tsc(struct kunit *test)
{
	/* 250 ms of a 100 MHz HPET on a 2.5 GHz TSC. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_ticks_to_tsc(25000000, 100000000, 2500000),
			625000000ULL);
	/* 15 s of a 14.318 MHz HPET on a 3 GHz TSC: no overflow. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_ticks_to_tsc(214772700, 14318180, 3000000),
			45000000000ULL);
}

#define P	1000000ULL	/* period in TSC cycles */

static void window_on_time(struct kunit *test)
{
	struct hpet_wdt_window w;
	int i;

	hpet_wdt_window_init(&w, 10 * P, P);
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_TRUE_MSG(test, hpet_wdt_window_claim(&w, (10 + i) * P),
				      "tick %d", i);
	KUNIT_EXPECT_EQ(test, w.expected, 110 * P);
}

static void window_declines_early_and_second(struct kunit *test)
{
	struct hpet_wdt_window w;

	hpet_wdt_window_init(&w, 10 * P, P);
	/* Far before the tick: a perf or backtrace NMI, not ours. */
	KUNIT_EXPECT_FALSE(test, hpet_wdt_window_claim(&w, 10 * P - P / 2));
	KUNIT_EXPECT_FALSE(test, hpet_wdt_window_claim(&w, 10 * P - P / 15));
	KUNIT_EXPECT_EQ(test, w.expected, 10 * P);
	/* Within the early side (1/16 period): ours, grid pulled back. */
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 10 * P - P / 64));
	KUNIT_EXPECT_EQ(test, w.expected, 11 * P - P / 64);
	/* A second NMI in the same period is not ours. */
	KUNIT_EXPECT_FALSE(test, hpet_wdt_window_claim(&w, 10 * P + P / 4));
}

/* VM-like jitter: delays up to 40% of a period never lose a tick. */
static void window_jitter(struct kunit *test)
{
	static const u64 delay[] = { 0, P * 2 / 5, 3, P / 7, P / 3, 0, P / 9, 1 };
	struct hpet_wdt_window w;
	int i;

	hpet_wdt_window_init(&w, P, P);
	for (i = 0; i < 400; i++) {
		u64 now = (1 + i) * P + delay[i % ARRAY_SIZE(delay)];

		KUNIT_ASSERT_TRUE_MSG(test, hpet_wdt_window_claim(&w, now),
				      "tick %d", i);
		/* A foreign NMI right after ours is declined. */
		KUNIT_EXPECT_FALSE(test, hpet_wdt_window_claim(&w, now + 1));
	}
}

/*
 * An NMI delayed past the next tick is that tick's: the one latched behind
 * it is not claimed again (the handler absorbs it without a sample).
 */
static void window_latched(struct kunit *test)
{
	struct hpet_wdt_window w;

	hpet_wdt_window_init(&w, 10 * P, P);
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 11 * P + P / 10));
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_was_late(&w));
	KUNIT_EXPECT_EQ(test, w.expected, 12 * P);
	KUNIT_EXPECT_FALSE(test, hpet_wdt_window_claim(&w, 11 * P + P / 10 + 50));
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 12 * P + 5));
	KUNIT_EXPECT_FALSE(test, hpet_wdt_window_was_late(&w));
}

/*
 * A tick merged into an NMI another handler claimed never reaches us. The
 * next one arrives slightly early, almost a period after the expectation:
 * it is taken for the expected tick, late; the one after it is then a
 * period late and snaps the grid back, and from there on time again
 * instead of a period late for ever.
 */
static void window_lost_tick(struct kunit *test)
{
	struct hpet_wdt_window w;
	int i;

	hpet_wdt_window_init(&w, 10 * P, P);
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 10 * P + 7));
	/* Tick 11 lost; tick 12 arrives slightly early. */
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 12 * P - P / 100));
	KUNIT_EXPECT_EQ(test, w.expected, 12 * P);
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 13 * P + 9));
	KUNIT_EXPECT_EQ(test, w.steps, 2U);
	for (i = 14; i < 40; i++) {
		KUNIT_ASSERT_TRUE_MSG(test, hpet_wdt_window_claim(&w, i * P + 9),
				      "tick %d", i);
		KUNIT_ASSERT_FALSE_MSG(test, hpet_wdt_window_was_late(&w),
				       "tick %d seen as a period late", i);
	}
}

/*
 * rr, periodic: the previous target took its tick 31/32 of a period late,
 * so the next tick reached the next target on time. It must be claimed,
 * not refused as a period early (an unknown NMI).
 */
static void window_almost_a_period_late(struct kunit *test)
{
	struct hpet_wdt_window w;

	hpet_wdt_window_init(&w, 10 * P, P);
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 10 * P + P * 31 / 32));
	KUNIT_EXPECT_EQ(test, w.expected, 11 * P);
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 11 * P + 20));
}

/* NMIs blocked for many periods: resynchronise on the tick grid. */
static void window_resync(struct kunit *test)
{
	struct hpet_wdt_window w;

	hpet_wdt_window_init(&w, 10 * P, P);
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 10 * P + 20));
	KUNIT_EXPECT_FALSE(test, hpet_wdt_window_was_late(&w));
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 57 * P + 300));
	KUNIT_EXPECT_EQ(test, w.expected, 58 * P);
	/* A merged tick may still be latched behind it. */
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_was_late(&w));
	KUNIT_EXPECT_FALSE(test, hpet_wdt_window_claim(&w, 57 * P + P / 2));
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 58 * P + 20));
}

/* The TSC runs 0.5% fast against the HPET: drift is followed. */
static void window_drift(struct kunit *test)
{
	struct hpet_wdt_window w;
	u64 real = P + P / 200;
	int i;

	hpet_wdt_window_init(&w, P, P);
	for (i = 0; i < 2000; i++) {
		u64 now = P + i * real;

		KUNIT_ASSERT_TRUE_MSG(test, hpet_wdt_window_claim(&w, now),
				      "tick %d", i);
	}
	/* The expectation has not fallen a whole period behind. */
	KUNIT_EXPECT_LT(test, P + 2000 * real - w.expected, P);
}

/*
 * One-shot re-arm: however late, the NMI is the tick the channel was armed
 * for (nothing snaps); a tick so late that the next expiry would be closer
 * than the margin skips whole periods, staying on the grid, and says by
 * how many periods the comparator moves on.
 */
static void window_oneshot_steps(struct kunit *test)
{
	struct hpet_wdt_window w;

	hpet_wdt_window_init(&w, 10 * P, P);
	w.oneshot = true;
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 10 * P + P / 10));
	KUNIT_EXPECT_EQ(test, hpet_wdt_window_ahead(&w, 10 * P + P / 10, P / 8), 1U);
	KUNIT_EXPECT_EQ(test, w.expected, 11 * P);
	/* Three periods late: still the armed tick; the comparator moves on by four. */
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 14 * P + P / 5));
	KUNIT_EXPECT_EQ(test, w.steps, 1U);
	KUNIT_EXPECT_EQ(test, w.expected, 12 * P);
	KUNIT_EXPECT_EQ(test, hpet_wdt_window_ahead(&w, 14 * P + P / 5, P / 8), 4U);
	KUNIT_EXPECT_EQ(test, w.expected, 15 * P);
	/* Seven eighths late: the next one would be too close, skip it. */
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 15 * P + P * 7 / 8 + P / 100));
	KUNIT_EXPECT_EQ(test, hpet_wdt_window_ahead(&w, 15 * P + P * 7 / 8 + P / 100,
						    P / 8), 2U);
	KUNIT_EXPECT_EQ(test, w.expected, 17 * P);
	/* On time again afterwards. */
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 17 * P + 3));
	KUNIT_EXPECT_EQ(test, hpet_wdt_window_ahead(&w, 17 * P + 3, P / 8), 1U);
	KUNIT_EXPECT_EQ(test, w.expected, 18 * P);
}

/*
 * Ticks taken as lost on other handlers' NMIs (AMD perf's window claims
 * every tick) half a period late or more: two batches of them must leave
 * the grid where the comparator is, and still let a real tick on time in.
 */
static void window_lost_no_drift(struct kunit *test)
{
	struct hpet_wdt_window w;
	unsigned int i;

	hpet_wdt_window_init(&w, 10 * P, P);
	w.oneshot = true;
	for (i = 0; i < 2 * HPET_WDT_BATCH; i++) {
		KUNIT_EXPECT_FALSE(test, hpet_wdt_window_claim_lost(&w, (10 + i) * P - P / 8));
		KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim_lost(&w, (10 + i) * P + P * 3 / 5));
		KUNIT_EXPECT_EQ(test, hpet_wdt_window_ahead(&w, (10 + i) * P + P * 3 / 5,
							    P / 8), 1U);
		KUNIT_EXPECT_EQ(test, w.last_late, 0ULL);
	}
	KUNIT_EXPECT_EQ(test, w.expected, (10 + 2 * HPET_WDT_BATCH) * P);
	/* Counted, so that the grid sync runs only meanwhile. */
	KUNIT_EXPECT_EQ(test, w.unsampled, 2U * HPET_WDT_BATCH);
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, (10 + 2 * HPET_WDT_BATCH) * P - P / 20));
	KUNIT_EXPECT_EQ(test, w.unsampled, 0U);

	/* The same claims sampled would have moved the grid by 3/10 P per batch. */
	hpet_wdt_window_init(&w, 10 * P, P);
	w.oneshot = true;
	for (i = 0; i < HPET_WDT_BATCH; i++) {
		KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, (10 + i) * P + P * 3 / 5));
		hpet_wdt_window_ahead(&w, (10 + i) * P + P * 3 / 5, P / 8);
	}
	KUNIT_EXPECT_EQ(test, w.expected, (10 + HPET_WDT_BATCH) * P + P * 3 / 10);
}

/* The comparator that revives a silent channel, 32-bit wrap included. */
static void rescue_cmp(struct kunit *test)
{
	const u32 t = 1000, m = 125;

	/* On its way (up to four periods ahead): nothing to do. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_rescue_cmp(5000, 5600, t, m), 5600U);
	KUNIT_EXPECT_EQ(test, hpet_wdt_rescue_cmp(5000, 9000, t, m), 9000U);
	/* Missed by 2.5 periods: next on the grid. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_rescue_cmp(7500, 5000, t, m), 8000U);
	/* Missed, and the next grid point is closer than the margin. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_rescue_cmp(7950, 5000, t, m), 9000U);
	/* Exactly at the comparator: it was missed too. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_rescue_cmp(5000, 5000, t, m), 6000U);
	/* Missed across the 32-bit wrap. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_rescue_cmp(100, 0xfffffc00U, t, m),
			0xfffffc00U + 2 * t);
	/* Far ahead (the counter restarted from 0): one period from now. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_rescue_cmp(20, 0x40000000U, t, m), 1020U);
}

/*
 * The window follows a comparator that a rescue or a late re-arm moved:
 * on the grid, across the 32-bit wrap, off the grid and backwards.
 */
static void cmp_shift(struct kunit *test)
{
	const u32 t = 1000;
	struct hpet_wdt_window w;
	u32 cmp = 5000, win_cmp = 5000;

	KUNIT_EXPECT_EQ(test, hpet_wdt_cmp_shift(5000, 5000, t, P), 0);
	KUNIT_EXPECT_EQ(test, hpet_wdt_cmp_shift(7000, 5000, t, P), (s64)(2 * P));
	KUNIT_EXPECT_EQ(test, hpet_wdt_cmp_shift(500, 0xfffffe0cU, t, P),
			(s64)P);
	KUNIT_EXPECT_EQ(test, hpet_wdt_cmp_shift(5500, 5000, t, P), (s64)(P / 2));
	KUNIT_EXPECT_EQ(test, hpet_wdt_cmp_shift(3000, 5000, t, P), -(s64)(2 * P));
	KUNIT_EXPECT_EQ(test, hpet_wdt_cmp_shift(7000, 5000, 0, P), 0);

	/*
	 * The tick at 10 P was lost; a rescue re-armed at 13 P. The window,
	 * moved after the comparator, takes that NMI on time and the
	 * comparator moves on by one period.
	 */
	hpet_wdt_window_init(&w, 10 * P, P);
	w.oneshot = true;
	cmp = hpet_wdt_rescue_cmp(7500, cmp, t, t / 8);
	KUNIT_EXPECT_EQ(test, cmp, 8000U);
	w.expected += hpet_wdt_cmp_shift(cmp, win_cmp, t, P);
	KUNIT_EXPECT_EQ(test, w.expected, 13 * P);
	/* An early NMI is still refused after the move. */
	KUNIT_EXPECT_FALSE(test, hpet_wdt_window_claim(&w, 12 * P + P / 2));
	KUNIT_EXPECT_TRUE(test, hpet_wdt_window_claim(&w, 13 * P + 7));
	KUNIT_EXPECT_EQ(test, w.last_late, 7ULL);
	KUNIT_EXPECT_EQ(test, hpet_wdt_window_ahead(&w, 13 * P + 7, P / 8), 1U);
	KUNIT_EXPECT_EQ(test, w.expected, 14 * P);
}

/*
 * Where the window is against the comparator's real expiry, from one
 * counter read: 24 MHz HPET, 2.4 GHz TSC (100 TSC cycles per tick).
 */
static void grid_error(struct kunit *test)
{
	const unsigned long f = 24000000;
	const unsigned int khz = 2400000;

	/* The tick 1000 ticks ahead of the counter is due 100000 cycles on. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_grid_error(5100000, 2000, 1000, 5000000, f, khz), 0);
	/* A window 5 ms late, or 5 ms early. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_grid_error(5100000 + 12000000, 2000, 1000, 5000000,
						  f, khz), 12000000);
	KUNIT_EXPECT_EQ(test, hpet_wdt_grid_error(5100000 - 12000000, 2000, 1000, 5000000,
						  f, khz), -12000000);
	/* The tick's comparator already passed (a silent channel). */
	KUNIT_EXPECT_EQ(test, hpet_wdt_grid_error(4900000, 1000, 3000, 5100000, f, khz), 0);
	/* Across the 32-bit wrap, either way. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_grid_error(5100000, 500, 0xfffffe0cU, 5000000, f, khz), 0);
	KUNIT_EXPECT_EQ(test, hpet_wdt_grid_error(5000000, 0xfffffe0cU, 500, 5100000, f, khz), 0);
}

static void attr_init(struct hpet_wdt_attr *a, unsigned int target)
{
	hpet_wdt_window_init(&a->win, 10 * P, P);
	a->target = target;
	a->latched_cpu = UINT_MAX;
}

/* A one-shot channel fires once per arming: nothing is latched behind. */
static void attr_oneshot_no_latched(struct kunit *test)
{
	struct hpet_wdt_attr a;

	attr_init(&a, 0);
	a.win.oneshot = true;
	KUNIT_EXPECT_EQ(test, hpet_wdt_attribute(&a, 0, 11 * P + P / 5, false), HPET_WDT_TICK);
	KUNIT_EXPECT_EQ(test, a.latched_cpu, UINT_MAX);
	/* The handler re-arms a period on, past the margin: 12P. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_window_ahead(&a.win, 11 * P + P / 5, P / 8), 2U);
	KUNIT_EXPECT_EQ(test, a.win.expected, 12 * P);
	/* A foreign NMI right behind it stays foreign (unknown). */
	KUNIT_EXPECT_EQ(test, hpet_wdt_attribute(&a, 0, 11 * P + P / 4, false), HPET_WDT_FOREIGN);
}

/* An NMI on a CPU the channel does not point at never moves the window. */
static void attr_only_target(struct kunit *test)
{
	struct hpet_wdt_attr a;

	attr_init(&a, 2);
	KUNIT_EXPECT_EQ(test, hpet_wdt_attribute(&a, 1, 10 * P, false), HPET_WDT_FOREIGN);
	KUNIT_EXPECT_EQ(test, hpet_wdt_attribute(&a, 3, 10 * P + 5, false), HPET_WDT_FOREIGN);
	KUNIT_EXPECT_EQ(test, a.win.expected, 10 * P);
	KUNIT_EXPECT_EQ(test, hpet_wdt_attribute(&a, 2, 10 * P + 9, false), HPET_WDT_TICK);
	KUNIT_EXPECT_EQ(test, a.win.expected, 11 * P);
	/* Stopped: nobody takes anything. */
	a.target = UINT_MAX;
	KUNIT_EXPECT_EQ(test, hpet_wdt_attribute(&a, 2, 11 * P, false), HPET_WDT_FOREIGN);
	KUNIT_EXPECT_EQ(test, a.win.expected, 11 * P);
}

/*
 * rr: CPU0 takes its tick a period late and hands the target to CPU1. The
 * tick latched behind it on CPU0 is absorbed once, without moving CPU1's
 * window; a further NMI on CPU0 is foreign.
 */
static void attr_latched_once(struct kunit *test)
{
	struct hpet_wdt_attr a;

	attr_init(&a, 0);
	KUNIT_EXPECT_EQ(test, hpet_wdt_attribute(&a, 0, 11 * P + P / 5, false), HPET_WDT_TICK);
	KUNIT_EXPECT_EQ(test, a.latched_cpu, 0U);
	a.target = 1;
	KUNIT_EXPECT_EQ(test, hpet_wdt_attribute(&a, 0, 11 * P + P / 5 + 40, false),
			HPET_WDT_LATCHED);
	KUNIT_EXPECT_EQ(test, a.win.expected, 12 * P);
	KUNIT_EXPECT_EQ(test, hpet_wdt_attribute(&a, 0, 11 * P + P / 2, false), HPET_WDT_FOREIGN);
	KUNIT_EXPECT_EQ(test, hpet_wdt_attribute(&a, 1, 12 * P + 3, false), HPET_WDT_TICK);
	KUNIT_EXPECT_EQ(test, a.latched_cpu, UINT_MAX);
}

/*
 * Unclaimed foreign NMIs interleaved with the ticks on the target (a
 * perf NMI that merged away, an injected NMI): at most one NMI per period
 * is taken, and two taken ones are never closer than a period less the
 * early side, so sampling can never run fast.
 */
static void attr_interleaved_foreign(struct kunit *test)
{
	static const s64 foreign[] = {
		-(s64)(P / 2), -(s64)(P / 40), P / 3, -(s64)(P / 100), P / 2
	};
	u64 last = 0, now;
	struct hpet_wdt_attr a;
	int i, j, taken = 0;

	attr_init(&a, 0);
	for (i = 10; i < 210; i++) {
		s64 off = foreign[i % ARRAY_SIZE(foreign)];
		bool foreign_first = off < 100;

		for (j = 0; j < 2; j++) {
			/* A foreign NMI and the tick (at +100), in time order. */
			if (!j == foreign_first)
				now = i * P + off;
			else
				now = i * P + 100;
			if (hpet_wdt_attribute(&a, 0, now, false) != HPET_WDT_TICK)
				continue;
			if (last)
				KUNIT_ASSERT_GE_MSG(test, now - last, P - P / 16,
						    "period %d", i);
			last = now;
			taken++;
		}
	}
	KUNIT_EXPECT_EQ(test, taken, 200);
}

struct attr_race {
	struct hpet_wdt_attr	a;
	atomic_t		tick;
	atomic_t		claims[2];
	struct completion	done[2];
};

struct attr_racer {
	struct attr_race	*r;
	unsigned int		self;
};

#define RACE_TICKS	20000

/* Two CPUs take turns as target, each hammering the shared state. */
static int attr_race_fn(void *arg)
{
	struct attr_racer *me = arg;
	struct attr_race *r = me->r;
	unsigned int tick;

	while ((tick = atomic_read(&r->tick)) < RACE_TICKS) {
		if (hpet_wdt_attribute(&r->a, me->self, (10 + tick) * P, false) !=
		    HPET_WDT_TICK) {
			cpu_relax();
			continue;
		}
		atomic_inc(&r->claims[me->self]);
		atomic_inc(&r->tick);
		/* As the rr handler: the window before the new target. */
		smp_store_release(&r->a.target, !me->self);
	}
	complete(&r->done[me->self]);
	return 0;
}

/*
 * Target and previous target race on the window: every tick is taken
 * exactly once (no double advance, no lost update) and by its target.
 */
static void attr_two_cpus(struct kunit *test)
{
	struct attr_racer racer[2];
	struct task_struct *t;
	struct attr_race *r;
	int i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two online CPUs");
	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	attr_init(&r->a, 0);
	for (i = 0; i < 2; i++) {
		init_completion(&r->done[i]);
		racer[i] = (struct attr_racer){ .r = r, .self = i };
		t = kthread_create(attr_race_fn, &racer[i], "hpet_wdt_race/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		kthread_bind(t, cpumask_nth(i, cpu_online_mask));
		wake_up_process(t);
	}
	for (i = 0; i < 2; i++)
		wait_for_completion(&r->done[i]);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->tick), RACE_TICKS);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->claims[0]) + atomic_read(&r->claims[1]),
			RACE_TICKS);
	/* They alternate: each took half. */
	KUNIT_EXPECT_EQ(test, atomic_read(&r->claims[0]), RACE_TICKS / 2);
	KUNIT_EXPECT_EQ(test, r->a.win.expected, (10ULL + RACE_TICKS) * P);
}

static void next_cpu(struct kunit *test)
{
	struct cpumask mask;

	cpumask_clear(&mask);
	KUNIT_EXPECT_GE(test, hpet_wdt_next_cpu(0, &mask), nr_cpu_ids);

	cpumask_set_cpu(0, &mask);
	KUNIT_EXPECT_EQ(test, hpet_wdt_next_cpu(0, &mask), 0U);

	if (nr_cpu_ids < 4)
		kunit_skip(test, "needs 4 possible CPUs for the hole cases");

	/* Holes: {0, 3}. */
	cpumask_set_cpu(3, &mask);
	KUNIT_EXPECT_EQ(test, hpet_wdt_next_cpu(0, &mask), 3U);
	KUNIT_EXPECT_EQ(test, hpet_wdt_next_cpu(3, &mask), 0U);
	/* A CPU that just left the mask still has a successor. */
	KUNIT_EXPECT_EQ(test, hpet_wdt_next_cpu(1, &mask), 3U);
	cpumask_clear_cpu(3, &mask);
	KUNIT_EXPECT_EQ(test, hpet_wdt_next_cpu(3, &mask), 0U);
}

static void compose_msg(struct kunit *test)
{
	u32 data, addr;

	KUNIT_EXPECT_EQ(test, hpet_wdt_compose_msg(0, &data, &addr), 0);
	KUNIT_EXPECT_EQ(test, data, 0x400U);	/* NMI, edge, physical */
	KUNIT_EXPECT_EQ(test, addr, 0xfee00000U);

	KUNIT_EXPECT_EQ(test, hpet_wdt_compose_msg(0x2a, &data, &addr), 0);
	KUNIT_EXPECT_EQ(test, data, 0x400U);
	KUNIT_EXPECT_EQ(test, addr, 0xfee2a000U);	/* RH=0, DM=0 */
	KUNIT_EXPECT_EQ(test, hpet_wdt_compose_msg(0xfe, &data, &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, 0xfeefe000U);
	/* 0xff is the broadcast destination; above it cannot be addressed. */
	data = 7;
	KUNIT_EXPECT_EQ(test, hpet_wdt_compose_msg(0xff, &data, &addr), -ERANGE);
	KUNIT_EXPECT_EQ(test, hpet_wdt_compose_msg(0x100, &data, &addr), -ERANGE);
	KUNIT_EXPECT_EQ(test, hpet_wdt_compose_msg(0xffffffff, &data, &addr), -ERANGE);
	KUNIT_EXPECT_EQ(test, data, 7U);
}

static struct kunit_case hpet_wdt_cases[] = {
	KUNIT_CASE_PARAM(period_math, period_gen_params),
	KUNIT_CASE(period_comparator_width),
	KUNIT_CASE(period_bad_input),
	KUNIT_CASE(ticks_to_tsc),
	KUNIT_CASE(window_on_time),
	KUNIT_CASE(window_declines_early_and_second),
	KUNIT_CASE(window_jitter),
	KUNIT_CASE(window_latched),
	KUNIT_CASE(window_lost_tick),
	KUNIT_CASE(window_almost_a_period_late),
	KUNIT_CASE(window_resync),
	KUNIT_CASE(window_drift),
	KUNIT_CASE(window_oneshot_steps),
	KUNIT_CASE(window_lost_no_drift),
	KUNIT_CASE(rescue_cmp),
	KUNIT_CASE(cmp_shift),
	KUNIT_CASE(grid_error),
	KUNIT_CASE(attr_oneshot_no_latched),
	KUNIT_CASE(attr_only_target),
	KUNIT_CASE(attr_latched_once),
	KUNIT_CASE(attr_interleaved_foreign),
	KUNIT_CASE_SLOW(attr_two_cpus),
	KUNIT_CASE(next_cpu),
	KUNIT_CASE(compose_msg),
	{}
};

static struct kunit_suite hpet_wdt_suite = {
	.name = "hpet_nmi_watchdog",
	.test_cases = hpet_wdt_cases,
};

kunit_test_suite(hpet_wdt_suite);

MODULE_DESCRIPTION("KUnit tests for the HPET NMI hard lockup detector");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
