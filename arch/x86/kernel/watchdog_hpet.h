/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure helpers of the HPET NMI hard lockup detector, shared with its KUnit
 * test. Nothing here touches hardware or global state.
 */
#ifndef _X86_KERNEL_WATCHDOG_HPET_H
#define _X86_KERNEL_WATCHDOG_HPET_H

#include <linux/cpumask.h>
#include <linux/types.h>

/*
 * Longest period, in ticks: the comparator runs in 32-bit mode (one write
 * re-arms a one-shot channel; some HPETs clamp periodic values to 31 bits).
 */
#define HPET_WDT_MAX_PERIOD_32	0x7fffffffULL
/* A CPU is sampled every NUM / DEN of watchdog_thresh (0.225). */
#define HPET_WDT_SAMPLE_NUM	9
#define HPET_WDT_SAMPLE_DEN	40
/*
 * No report before this share of watchdog_thresh without progress, on the
 * clock, however the checks were spaced (nominally four samples: 90%).
 */
#define HPET_WDT_STALE_PCT	80
/* A check this many sampling intervals after the previous one starts anew. */
#define HPET_WDT_GAP_SAMPLES	3
/* Shortest period the detector accepts, in microseconds. */
#define HPET_WDT_MIN_PERIOD_US	100

/**
 * struct hpet_wdt_window - Expected arrival of the channel's next NMI
 * @expected:	TSC value at which the next HPET NMI is due
 * @period:	TSC cycles between two HPET NMIs
 * @early:	How much earlier than @expected an NMI may still be ours
 * @min_late:	Smallest lateness seen in the current batch of claims
 * @last_late:	Lateness of the last claimed NMI, before any resync
 * @batch:	Claims in the current batch
 * @unsampled:	Claims since the last one whose lateness was sampled (ticks
 *		taken as lost, hpet_wdt_window_claim_lost())
 * @steps:	Periods the last claim moved @expected on (1, or more when
 *		the NMI came a period or more late): a one-shot comparator
 *		moves on by as many periods to stay on the channel's grid
 * @oneshot:	The channel fires once per arming: a late NMI is always the
 *		tick it was armed for, never a later one, so nothing snaps
 */
struct hpet_wdt_window {
	u64		expected;
	u64		period;
	u64		early;
	u64		min_late;
	u64		last_late;
	unsigned int	batch;
	unsigned int	steps;
	unsigned int	unsampled;
	bool		oneshot;
};

/* Claims after which a systematic lateness (TSC vs HPET drift) is removed. */
#define HPET_WDT_BATCH		16

/**
 * struct hpet_wdt_attr - Which CPU may take the channel's NMIs, and when
 * @win:	 Expected arrival of the next NMI on @target
 * @target:	 CPU the channel points at, UINT_MAX when stopped. Only this
 *		 CPU moves @win; it hands @target on with a release store.
 * @latched_cpu: CPU that may still get one tick raised while its last
 *		 claimed NMI was pending (that NMI came a period or more late)
 *
 * With a one-shot channel (@win.oneshot) no tick is ever latched behind a
 * late one.
 */
struct hpet_wdt_attr {
	struct hpet_wdt_window	win;
	unsigned int		target;
	unsigned int		latched_cpu;
};

/**
 * enum hpet_wdt_verdict - What an unclaimed NMI on a CPU is
 * @HPET_WDT_FOREIGN:	Not the channel's: leave it to the unknown-NMI path
 * @HPET_WDT_TICK:	The channel's tick for the target: sample the CPU
 * @HPET_WDT_LATCHED:	A tick latched behind a late one: absorb, no sample
 */
enum hpet_wdt_verdict {
	HPET_WDT_FOREIGN,
	HPET_WDT_TICK,
	HPET_WDT_LATCHED,
};

int hpet_wdt_period_ticks(unsigned long freq, unsigned int thresh,
			  unsigned int slots, u64 *ticks);
u64 hpet_wdt_ticks_to_tsc(u64 ticks, unsigned long freq, unsigned int khz);
void hpet_wdt_window_init(struct hpet_wdt_window *w, u64 first, u64 period);
bool hpet_wdt_window_claim(struct hpet_wdt_window *w, u64 now);
bool hpet_wdt_window_claim_lost(struct hpet_wdt_window *w, u64 now);
bool hpet_wdt_window_was_late(const struct hpet_wdt_window *w);
unsigned int hpet_wdt_window_ahead(struct hpet_wdt_window *w, u64 now,
				   u64 margin);
u32 hpet_wdt_rescue_cmp(u32 counter, u32 cmp, u32 ticks, u32 margin);
s64 hpet_wdt_cmp_shift(u32 cmp, u32 win_cmp, u32 ticks, u64 period);
s64 hpet_wdt_grid_error(u64 expected, u32 win_cmp, u32 counter, u64 tsc,
			unsigned long freq, unsigned int khz);
enum hpet_wdt_verdict hpet_wdt_attribute(struct hpet_wdt_attr *a,
					 unsigned int cpu, u64 now, bool lost);
unsigned int hpet_wdt_next_cpu(unsigned int cpu, const struct cpumask *mask);
int hpet_wdt_compose_msg(u32 apicid, u32 *data, u32 *addr);

#endif /* _X86_KERNEL_WATCHDOG_HPET_H */
