// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the messages the interrupt remapping drivers build for
 * the HPET NMI watchdog. Expected values are written out from the VT-d
 * and AMD-Vi specifications bit by bit, not through the drivers' own
 * bitfields, so a wrong field layout fails here.
 */

#include <kunit/test.h>
#include <linux/dmar.h>
#include <linux/module.h>
#include <linux/msi.h>

#include "irq_remapping.h"

/* VT-d remappable-format MSI address: handle[14:0] 19:5, format 4, SHV 3, handle[15] 2. */
static u32 vtd_addr(u32 handle)
{
	return 0xfee00000 | (handle & 0x7fff) << 5 | BIT(4) | BIT(3) |
	       ((handle >> 15) & 1) << 2;
}

/* IRTE low: present, physical, no hint, edge, NMI delivery (4 << 5). */
#define VTD_IRTE_LOW_NMI	(BIT_ULL(0) | 4ULL << 5)
/* IRTE high: SVT 1 (verify SID/SQ) at 19:18, SQ 3 (ignore bits 2:0) at 17:16. */
#define VTD_IRTE_HIGH_SID(sid)	((u64)(sid) | 3ULL << 16 | 1ULL << 18)

static void vtd_xapic_entry(struct kunit *test)
{
	struct msi_msg msg;
	struct irte irte;
	int ret;

	ret = intel_ir_compose_hpet_nmi(&irte, &msg, 0x12, false, 0xf0f8,
					0x40, 3);
	KUNIT_ASSERT_EQ(test, ret, 0);
	/* xAPIC destination: APIC ID in bits 47:40. */
	KUNIT_EXPECT_EQ(test, irte.low, VTD_IRTE_LOW_NMI | 0x12ULL << 40);
	KUNIT_EXPECT_EQ(test, irte.high, VTD_IRTE_HIGH_SID(0xf0f8));
	KUNIT_EXPECT_EQ(test, msg.address_lo, vtd_addr(0x40));
	KUNIT_EXPECT_EQ(test, msg.address_hi, 0U);
	KUNIT_EXPECT_EQ(test, msg.data, 3U);
}

static void vtd_x2apic_entry(struct kunit *test)
{
	struct msi_msg msg;
	struct irte irte;
	int ret;

	ret = intel_ir_compose_hpet_nmi(&irte, &msg, 0x12345, true, 0x00a8,
					0x100, 0);
	KUNIT_ASSERT_EQ(test, ret, 0);
	/* x2APIC destination: the full 32-bit APIC ID in bits 63:32. */
	KUNIT_EXPECT_EQ(test, irte.low, VTD_IRTE_LOW_NMI | 0x12345ULL << 32);
	KUNIT_EXPECT_EQ(test, irte.high, VTD_IRTE_HIGH_SID(0x00a8));
	KUNIT_EXPECT_EQ(test, msg.address_lo, vtd_addr(0x100));
	KUNIT_EXPECT_EQ(test, msg.data, 0U);
}

static void vtd_xapic_refuses_wide_id(struct kunit *test)
{
	struct msi_msg msg;
	struct irte irte;

	KUNIT_EXPECT_EQ(test, -ERANGE,
			intel_ir_compose_hpet_nmi(&irte, &msg, 0x100, false,
						  0xf0f8, 0, 0));
}

/* Handle bit 15 goes to address bit 2, bits 14:0 to 19:5. */
static void vtd_handle_bit15(struct kunit *test)
{
	struct msi_msg msg;
	struct irte irte;
	int ret;

	ret = intel_ir_compose_hpet_nmi(&irte, &msg, 1, false, 0xf0f8,
					0x8123, 0);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, msg.address_lo, 0xfee00000U | 0x123 << 5 |
			BIT(4) | BIT(3) | BIT(2));
	ret = intel_ir_compose_hpet_nmi(&irte, &msg, 1, false, 0xf0f8,
					0x7fff, 0);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, msg.address_lo, 0xfee00000U | 0x7fff << 5 |
			BIT(4) | BIT(3));
}

/*
 * A block: every target's message has the same address (the handle) and
 * its own subhandle, so the NMI handler retargets with one data write.
 */
static void vtd_block_differs_in_data_only(struct kunit *test)
{
	struct msi_msg msg;
	struct irte irte;
	u32 sub;

	for (sub = 0; sub < 8; sub++) {
		KUNIT_ASSERT_EQ(test, 0,
				intel_ir_compose_hpet_nmi(&irte, &msg, sub * 2,
							  false, 0xf0f8, 0x18,
							  sub));
		KUNIT_EXPECT_EQ(test, msg.address_lo, vtd_addr(0x18));
		KUNIT_EXPECT_EQ(test, msg.data, sub);
		KUNIT_EXPECT_EQ(test, irte.low,
				VTD_IRTE_LOW_NMI | (u64)(sub * 2) << 40);
	}
}

/* AMD-Vi: compatibility format, physical destination, NMI delivery. */
static void amd_unremapped_nmi(struct kunit *test)
{
	struct msi_msg msg;
	u32 id;

	for (id = 0; id < 0xff; id += 0x33) {
		KUNIT_ASSERT_EQ(test, 0, amd_ir_compose_hpet_nmi(id, &msg));
		/* Destination 19:12, no redirection hint (3), physical (2). */
		KUNIT_EXPECT_EQ(test, msg.address_lo, 0xfee00000U | id << 12);
		KUNIT_EXPECT_EQ(test, msg.address_hi, 0U);
		/* Delivery mode 10:8 = NMI, edge, vector ignored. */
		KUNIT_EXPECT_EQ(test, msg.data, 4U << 8);
	}
}

static void amd_refuses_wide_id(struct kunit *test)
{
	struct msi_msg msg;

	/* 0xff is the broadcast destination. */
	KUNIT_EXPECT_EQ(test, -ERANGE, amd_ir_compose_hpet_nmi(0xff, &msg));
	KUNIT_EXPECT_EQ(test, -ERANGE, amd_ir_compose_hpet_nmi(0x100, &msg));
}

static struct kunit_case irq_remap_hpet_nmi_cases[] = {
	KUNIT_CASE(vtd_xapic_entry),
	KUNIT_CASE(vtd_x2apic_entry),
	KUNIT_CASE(vtd_xapic_refuses_wide_id),
	KUNIT_CASE(vtd_handle_bit15),
	KUNIT_CASE(vtd_block_differs_in_data_only),
	KUNIT_CASE(amd_unremapped_nmi),
	KUNIT_CASE(amd_refuses_wide_id),
	{}
};

static struct kunit_suite irq_remap_hpet_nmi_suite = {
	.name = "irq_remap_hpet_nmi",
	.test_cases = irq_remap_hpet_nmi_cases,
};

kunit_test_suite(irq_remap_hpet_nmi_suite);

MODULE_DESCRIPTION("KUnit tests for the HPET NMI watchdog's remapping messages");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
