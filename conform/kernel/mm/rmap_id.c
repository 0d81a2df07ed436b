// SPDX-License-Identifier: GPL-2.0
/*
 * rmap IDs: track whether one or several MMs map a large folio (rmapcheck's own implementation
 * of the design of patches 07, 09, 11, 15 and 17, written from rmapcheck's spec).
 *
 * Every MM owns an rmap ID (1 .. 2^24 - 1). Its sub-IDs are chunks of the ID, each written in
 * binary and read back in base N + 1 (N: the most mappings the folio order allows, rounded up
 * per scheme), so that a sum of at most N sub-IDs never carries between digits. A folio keeps
 * one value per chunk, the sum over its mappings of the mapping MM's sub-ID: the folio is
 * mapped by `mm` alone iff every value equals mapcount * sub-ID of `mm`.
 *
 *   orders    values  chunk bits  N       sub-IDs from
 *   2         1       24          4       the MM (computed once, P11)
 *   3 .. 5    2       12          32      the MM (P11)
 *   6 .. 9    3       8           512     the MM (P11)
 *   10        4       6           1024    a 64-entry table (P07)
 *   11 .. 12  5       5           4096    a 32-entry table (P07)
 *   13 .. 15  6       4           32768   a 16-entry table (P07)
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/rmap.h>

#define RMAP_SUBID_1_MIN_ORDER	2
#define RMAP_SUBID_1_MAX_ORDER	2
#define RMAP_SUBID_2_MIN_ORDER	3
#define RMAP_SUBID_2_MAX_ORDER	5
#define RMAP_SUBID_3_MIN_ORDER	6
#define RMAP_SUBID_3_MAX_ORDER	9
#define RMAP_SUBID_4_MIN_ORDER	10
#define RMAP_SUBID_4_MAX_ORDER	10
#define RMAP_SUBID_5_MIN_ORDER	11
#define RMAP_SUBID_5_MAX_ORDER	12
#define RMAP_SUBID_6_MIN_ORDER	13
#define RMAP_SUBID_6_MAX_ORDER	15

#define RMAP_ID_BITS		24
#define RMAP_ID_MAX		((1 << RMAP_ID_BITS) - 1)

/* subid_n(i): the set bits of i as digits of a base-(n + 1) number. */
unsigned long calc_rmap_subid(unsigned int n, unsigned int i)
{
	unsigned long subid = 0, digit = 1;

	for (; i; i >>= 1) {
		if (i & 1)
			subid += digit;
		digit *= n + 1;
	}
	return subid;
}

/* subid_1024(i) for every 6-bit chunk i (the 4-value scheme) */
static const unsigned long rmap_subid_4_table[64] = {
	0x0ul, 0x1ul, 0x401ul, 0x402ul,
	0x100801ul, 0x100802ul, 0x100c02ul, 0x100c03ul,
	0x40300c01ul, 0x40300c02ul, 0x40301002ul, 0x40301003ul,
	0x40401402ul, 0x40401403ul, 0x40401803ul, 0x40401804ul,
	0x10100601001ul, 0x10100601002ul, 0x10100601402ul, 0x10100601403ul,
	0x10100701802ul, 0x10100701803ul, 0x10100701c03ul, 0x10100701c04ul,
	0x10140901c02ul, 0x10140901c03ul, 0x10140902003ul, 0x10140902004ul,
	0x10140a02403ul, 0x10140a02404ul, 0x10140a02804ul, 0x10140a02805ul,
	0x4050280a01401ul, 0x4050280a01402ul, 0x4050280a01802ul, 0x4050280a01803ul,
	0x4050280b01c02ul, 0x4050280b01c03ul, 0x4050280b02003ul, 0x4050280b02004ul,
	0x40502c0d02002ul, 0x40502c0d02003ul, 0x40502c0d02403ul, 0x40502c0d02404ul,
	0x40502c0e02803ul, 0x40502c0e02804ul, 0x40502c0e02c04ul, 0x40502c0e02c05ul,
	0x4060381002402ul, 0x4060381002403ul, 0x4060381002803ul, 0x4060381002804ul,
	0x4060381102c03ul, 0x4060381102c04ul, 0x4060381103004ul, 0x4060381103005ul,
	0x40603c1303003ul, 0x40603c1303004ul, 0x40603c1303404ul, 0x40603c1303405ul,
	0x40603c1403804ul, 0x40603c1403805ul, 0x40603c1403c05ul, 0x40603c1403c06ul,
};

/* subid_4096(i) for every 5-bit chunk i (the 5-value scheme) */
static const unsigned long rmap_subid_5_table[32] = {
	0x0ul, 0x1ul, 0x1001ul, 0x1002ul,
	0x1002001ul, 0x1002002ul, 0x1003002ul, 0x1003003ul,
	0x1003003001ul, 0x1003003002ul, 0x1003004002ul, 0x1003004003ul,
	0x1004005002ul, 0x1004005003ul, 0x1004006003ul, 0x1004006004ul,
	0x1004006004001ul, 0x1004006004002ul, 0x1004006005002ul, 0x1004006005003ul,
	0x1004007006002ul, 0x1004007006003ul, 0x1004007007003ul, 0x1004007007004ul,
	0x1005009007002ul, 0x1005009007003ul, 0x1005009008003ul, 0x1005009008004ul,
	0x100500a009003ul, 0x100500a009004ul, 0x100500a00a004ul, 0x100500a00a005ul,
};

/* subid_32768(i) for every 4-bit chunk i (the 6-value scheme) */
static const unsigned long rmap_subid_6_table[16] = {
	0x0ul, 0x1ul, 0x8001ul, 0x8002ul,
	0x40010001ul, 0x40010002ul, 0x40018002ul, 0x40018003ul,
	0x2000c0018001ul, 0x2000c0018002ul, 0x2000c0020002ul, 0x2000c0020003ul,
	0x200100028002ul, 0x200100028003ul, 0x200100030003ul, 0x200100030004ul,
};

static inline unsigned long get_rmap_subid_1(struct mm_struct *mm)
{
	return mm->mm_rmap_subid_1;
}

static inline unsigned long get_rmap_subid_2(struct mm_struct *mm, int nr)
{
	return mm->mm_rmap_subid_2[nr];
}

static inline unsigned long get_rmap_subid_3(struct mm_struct *mm, int nr)
{
	return mm->mm_rmap_subid_3[nr];
}

static inline unsigned long get_rmap_subid_4(struct mm_struct *mm, int nr)
{
	return rmap_subid_4_table[(mm->mm_rmap_id >> (nr * 6)) & 0x3f];
}

static inline unsigned long get_rmap_subid_5(struct mm_struct *mm, int nr)
{
	return rmap_subid_5_table[(mm->mm_rmap_id >> (nr * 5)) & 0x1f];
}

static inline unsigned long get_rmap_subid_6(struct mm_struct *mm, int nr)
{
	return rmap_subid_6_table[(mm->mm_rmap_id >> (nr * 4)) & 0xf];
}

/* P11: the 1-, 2- and 3-value sub-IDs are computed once, when the MM gets its rmap ID. */
void mm_set_rmap_id(struct mm_struct *mm, int id)
{
	int i;

	VM_WARN_ON(id < 0 || id > RMAP_ID_MAX);
	mm->mm_rmap_id = id;
	mm->mm_rmap_subid_1 = calc_rmap_subid(1u << RMAP_SUBID_1_MAX_ORDER, id);
	for (i = 0; i < 2; i++)
		mm->mm_rmap_subid_2[i] = calc_rmap_subid(1u << RMAP_SUBID_2_MAX_ORDER,
							 (id >> (i * 12)) & 0xfff);
	for (i = 0; i < 3; i++)
		mm->mm_rmap_subid_3[i] = calc_rmap_subid(1u << RMAP_SUBID_3_MAX_ORDER,
							 (id >> (i * 8)) & 0xff);
}

/* P15: the tables must be what the formula gives. */
void rmap_id_verify_subid_tables(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rmap_subid_4_table); i++)
		VM_WARN_ON(rmap_subid_4_table[i] != calc_rmap_subid(1u << RMAP_SUBID_4_MAX_ORDER, i));
	for (i = 0; i < ARRAY_SIZE(rmap_subid_5_table); i++)
		VM_WARN_ON(rmap_subid_5_table[i] != calc_rmap_subid(1u << RMAP_SUBID_5_MAX_ORDER, i));
	for (i = 0; i < ARRAY_SIZE(rmap_subid_6_table); i++)
		VM_WARN_ON(rmap_subid_6_table[i] != calc_rmap_subid(1u << RMAP_SUBID_6_MAX_ORDER, i));
}

/* rmap IDs, lowest free first (what an IDA hands out); 0 stays init_mm's. */
static unsigned long rmap_id_bitmap[(RMAP_ID_MAX + 1) / BITS_PER_LONG];

int alloc_rmap_id(void)
{
	unsigned int w, b;

	for (w = 0; w < ARRAY_SIZE(rmap_id_bitmap); w++) {
		unsigned long used = rmap_id_bitmap[w] | (w == 0 ? 1ul : 0ul);

		if (used == ~0ul)
			continue;
		b = __builtin_ctzl(~used);
		rmap_id_bitmap[w] |= 1ul << b;
		return w * BITS_PER_LONG + b;
	}
	return -1;
}

void free_rmap_id(int id)
{
	VM_WARN_ON(id <= 0 || id > RMAP_ID_MAX);
	rmap_id_bitmap[id / BITS_PER_LONG] &= ~(1ul << (id % BITS_PER_LONG));
}

/* A new folio: nobody else can see it yet, so the values are set without the seqcount. */
void __folio_set_large_rmap_val(struct folio *folio, int count, struct mm_struct *mm)
{
	const unsigned long c = count;

	switch (folio_order(folio)) {
#if MAX_ORDER >= RMAP_SUBID_6_MIN_ORDER
	case RMAP_SUBID_6_MIN_ORDER ... RMAP_SUBID_6_MAX_ORDER:
		atomic_long_set(&folio->_rmap_val0, get_rmap_subid_6(mm, 0) * c);
		atomic_long_set(&folio->_rmap_val1, get_rmap_subid_6(mm, 1) * c);
		atomic_long_set(&folio->_rmap_val2, get_rmap_subid_6(mm, 2) * c);
		atomic_long_set(&folio->_rmap_val3, get_rmap_subid_6(mm, 3) * c);
		atomic_long_set(&folio->_rmap_val4, get_rmap_subid_6(mm, 4) * c);
		atomic_long_set(&folio->_rmap_val5, get_rmap_subid_6(mm, 5) * c);
		break;
#endif
#if MAX_ORDER >= RMAP_SUBID_5_MIN_ORDER
	case RMAP_SUBID_5_MIN_ORDER ... RMAP_SUBID_5_MAX_ORDER:
		atomic_long_set(&folio->_rmap_val0, get_rmap_subid_5(mm, 0) * c);
		atomic_long_set(&folio->_rmap_val1, get_rmap_subid_5(mm, 1) * c);
		atomic_long_set(&folio->_rmap_val2, get_rmap_subid_5(mm, 2) * c);
		atomic_long_set(&folio->_rmap_val3, get_rmap_subid_5(mm, 3) * c);
		atomic_long_set(&folio->_rmap_val4, get_rmap_subid_5(mm, 4) * c);
		break;
#endif
#if MAX_ORDER >= RMAP_SUBID_4_MIN_ORDER
	case RMAP_SUBID_4_MIN_ORDER ... RMAP_SUBID_4_MAX_ORDER:
		atomic_long_set(&folio->_rmap_val0, get_rmap_subid_4(mm, 0) * c);
		atomic_long_set(&folio->_rmap_val1, get_rmap_subid_4(mm, 1) * c);
		atomic_long_set(&folio->_rmap_val2, get_rmap_subid_4(mm, 2) * c);
		atomic_long_set(&folio->_rmap_val3, get_rmap_subid_4(mm, 3) * c);
		break;
#endif
	case RMAP_SUBID_3_MIN_ORDER ... RMAP_SUBID_3_MAX_ORDER:
		atomic_long_set(&folio->_rmap_val0, get_rmap_subid_3(mm, 0) * c);
		atomic_long_set(&folio->_rmap_val1, get_rmap_subid_3(mm, 1) * c);
		atomic_long_set(&folio->_rmap_val2, get_rmap_subid_3(mm, 2) * c);
		break;
	case RMAP_SUBID_2_MIN_ORDER ... RMAP_SUBID_2_MAX_ORDER:
		atomic_long_set(&folio->_rmap_val0, get_rmap_subid_2(mm, 0) * c);
		atomic_long_set(&folio->_rmap_val1, get_rmap_subid_2(mm, 1) * c);
		break;
	default:
		atomic_long_set(&folio->_rmap_val0, get_rmap_subid_1(mm) * c);
		break;
	}
}

/* Shared writer (inside a write section): atomic adds; a negative count removes mappings. */
void __folio_add_large_rmap_val(struct folio *folio, int count, struct mm_struct *mm)
{
	const unsigned long c = count;

	switch (folio_order(folio)) {
#if MAX_ORDER >= RMAP_SUBID_6_MIN_ORDER
	case RMAP_SUBID_6_MIN_ORDER ... RMAP_SUBID_6_MAX_ORDER:
		atomic_long_add(get_rmap_subid_6(mm, 0) * c, &folio->_rmap_val0);
		atomic_long_add(get_rmap_subid_6(mm, 1) * c, &folio->_rmap_val1);
		atomic_long_add(get_rmap_subid_6(mm, 2) * c, &folio->_rmap_val2);
		atomic_long_add(get_rmap_subid_6(mm, 3) * c, &folio->_rmap_val3);
		atomic_long_add(get_rmap_subid_6(mm, 4) * c, &folio->_rmap_val4);
		atomic_long_add(get_rmap_subid_6(mm, 5) * c, &folio->_rmap_val5);
		break;
#endif
#if MAX_ORDER >= RMAP_SUBID_5_MIN_ORDER
	case RMAP_SUBID_5_MIN_ORDER ... RMAP_SUBID_5_MAX_ORDER:
		atomic_long_add(get_rmap_subid_5(mm, 0) * c, &folio->_rmap_val0);
		atomic_long_add(get_rmap_subid_5(mm, 1) * c, &folio->_rmap_val1);
		atomic_long_add(get_rmap_subid_5(mm, 2) * c, &folio->_rmap_val2);
		atomic_long_add(get_rmap_subid_5(mm, 3) * c, &folio->_rmap_val3);
		atomic_long_add(get_rmap_subid_5(mm, 4) * c, &folio->_rmap_val4);
		break;
#endif
#if MAX_ORDER >= RMAP_SUBID_4_MIN_ORDER
	case RMAP_SUBID_4_MIN_ORDER ... RMAP_SUBID_4_MAX_ORDER:
		atomic_long_add(get_rmap_subid_4(mm, 0) * c, &folio->_rmap_val0);
		atomic_long_add(get_rmap_subid_4(mm, 1) * c, &folio->_rmap_val1);
		atomic_long_add(get_rmap_subid_4(mm, 2) * c, &folio->_rmap_val2);
		atomic_long_add(get_rmap_subid_4(mm, 3) * c, &folio->_rmap_val3);
		break;
#endif
	case RMAP_SUBID_3_MIN_ORDER ... RMAP_SUBID_3_MAX_ORDER:
		atomic_long_add(get_rmap_subid_3(mm, 0) * c, &folio->_rmap_val0);
		atomic_long_add(get_rmap_subid_3(mm, 1) * c, &folio->_rmap_val1);
		atomic_long_add(get_rmap_subid_3(mm, 2) * c, &folio->_rmap_val2);
		break;
	case RMAP_SUBID_2_MIN_ORDER ... RMAP_SUBID_2_MAX_ORDER:
		atomic_long_add(get_rmap_subid_2(mm, 0) * c, &folio->_rmap_val0);
		atomic_long_add(get_rmap_subid_2(mm, 1) * c, &folio->_rmap_val1);
		break;
	default:
		atomic_long_add(get_rmap_subid_1(mm) * c, &folio->_rmap_val0);
		break;
	}
}

/*
 * P17: the exclusive writer (no other writer can be active until its section ends) updates the
 * values with plain load-then-store, saving the atomic RMWs. Readers may see torn updates and
 * rely on the seqcount to retry.
 */
void __folio_add_large_rmap_val_exclusive(struct folio *folio, int count, struct mm_struct *mm)
{
	const unsigned long c = count;

	switch (folio_order(folio)) {
#if MAX_ORDER >= RMAP_SUBID_6_MIN_ORDER
	case RMAP_SUBID_6_MIN_ORDER ... RMAP_SUBID_6_MAX_ORDER:
		folio->_rmap_val0.counter += get_rmap_subid_6(mm, 0) * c;
		folio->_rmap_val1.counter += get_rmap_subid_6(mm, 1) * c;
		folio->_rmap_val2.counter += get_rmap_subid_6(mm, 2) * c;
		folio->_rmap_val3.counter += get_rmap_subid_6(mm, 3) * c;
		folio->_rmap_val4.counter += get_rmap_subid_6(mm, 4) * c;
		folio->_rmap_val5.counter += get_rmap_subid_6(mm, 5) * c;
		break;
#endif
#if MAX_ORDER >= RMAP_SUBID_5_MIN_ORDER
	case RMAP_SUBID_5_MIN_ORDER ... RMAP_SUBID_5_MAX_ORDER:
		folio->_rmap_val0.counter += get_rmap_subid_5(mm, 0) * c;
		folio->_rmap_val1.counter += get_rmap_subid_5(mm, 1) * c;
		folio->_rmap_val2.counter += get_rmap_subid_5(mm, 2) * c;
		folio->_rmap_val3.counter += get_rmap_subid_5(mm, 3) * c;
		folio->_rmap_val4.counter += get_rmap_subid_5(mm, 4) * c;
		break;
#endif
#if MAX_ORDER >= RMAP_SUBID_4_MIN_ORDER
	case RMAP_SUBID_4_MIN_ORDER ... RMAP_SUBID_4_MAX_ORDER:
		folio->_rmap_val0.counter += get_rmap_subid_4(mm, 0) * c;
		folio->_rmap_val1.counter += get_rmap_subid_4(mm, 1) * c;
		folio->_rmap_val2.counter += get_rmap_subid_4(mm, 2) * c;
		folio->_rmap_val3.counter += get_rmap_subid_4(mm, 3) * c;
		break;
#endif
	case RMAP_SUBID_3_MIN_ORDER ... RMAP_SUBID_3_MAX_ORDER:
		folio->_rmap_val0.counter += get_rmap_subid_3(mm, 0) * c;
		folio->_rmap_val1.counter += get_rmap_subid_3(mm, 1) * c;
		folio->_rmap_val2.counter += get_rmap_subid_3(mm, 2) * c;
		break;
	case RMAP_SUBID_2_MIN_ORDER ... RMAP_SUBID_2_MAX_ORDER:
		folio->_rmap_val0.counter += get_rmap_subid_2(mm, 0) * c;
		folio->_rmap_val1.counter += get_rmap_subid_2(mm, 1) * c;
		break;
	default:
		folio->_rmap_val0.counter += get_rmap_subid_1(mm) * c;
		break;
	}
}

/* Does every value equal count * the MM's sub-ID? (One marked load per value.) */
bool __folio_has_large_matching_rmap_val(struct folio *folio, int count, struct mm_struct *mm)
{
	const unsigned long c = count;
	unsigned long diff = 0;

	switch (folio_order(folio)) {
#if MAX_ORDER >= RMAP_SUBID_6_MIN_ORDER
	case RMAP_SUBID_6_MIN_ORDER ... RMAP_SUBID_6_MAX_ORDER:
		diff |= atomic_long_read(&folio->_rmap_val0) ^ (get_rmap_subid_6(mm, 0) * c);
		diff |= atomic_long_read(&folio->_rmap_val1) ^ (get_rmap_subid_6(mm, 1) * c);
		diff |= atomic_long_read(&folio->_rmap_val2) ^ (get_rmap_subid_6(mm, 2) * c);
		diff |= atomic_long_read(&folio->_rmap_val3) ^ (get_rmap_subid_6(mm, 3) * c);
		diff |= atomic_long_read(&folio->_rmap_val4) ^ (get_rmap_subid_6(mm, 4) * c);
		diff |= atomic_long_read(&folio->_rmap_val5) ^ (get_rmap_subid_6(mm, 5) * c);
		break;
#endif
#if MAX_ORDER >= RMAP_SUBID_5_MIN_ORDER
	case RMAP_SUBID_5_MIN_ORDER ... RMAP_SUBID_5_MAX_ORDER:
		diff |= atomic_long_read(&folio->_rmap_val0) ^ (get_rmap_subid_5(mm, 0) * c);
		diff |= atomic_long_read(&folio->_rmap_val1) ^ (get_rmap_subid_5(mm, 1) * c);
		diff |= atomic_long_read(&folio->_rmap_val2) ^ (get_rmap_subid_5(mm, 2) * c);
		diff |= atomic_long_read(&folio->_rmap_val3) ^ (get_rmap_subid_5(mm, 3) * c);
		diff |= atomic_long_read(&folio->_rmap_val4) ^ (get_rmap_subid_5(mm, 4) * c);
		break;
#endif
#if MAX_ORDER >= RMAP_SUBID_4_MIN_ORDER
	case RMAP_SUBID_4_MIN_ORDER ... RMAP_SUBID_4_MAX_ORDER:
		diff |= atomic_long_read(&folio->_rmap_val0) ^ (get_rmap_subid_4(mm, 0) * c);
		diff |= atomic_long_read(&folio->_rmap_val1) ^ (get_rmap_subid_4(mm, 1) * c);
		diff |= atomic_long_read(&folio->_rmap_val2) ^ (get_rmap_subid_4(mm, 2) * c);
		diff |= atomic_long_read(&folio->_rmap_val3) ^ (get_rmap_subid_4(mm, 3) * c);
		break;
#endif
	case RMAP_SUBID_3_MIN_ORDER ... RMAP_SUBID_3_MAX_ORDER:
		diff |= atomic_long_read(&folio->_rmap_val0) ^ (get_rmap_subid_3(mm, 0) * c);
		diff |= atomic_long_read(&folio->_rmap_val1) ^ (get_rmap_subid_3(mm, 1) * c);
		diff |= atomic_long_read(&folio->_rmap_val2) ^ (get_rmap_subid_3(mm, 2) * c);
		break;
	case RMAP_SUBID_2_MIN_ORDER ... RMAP_SUBID_2_MAX_ORDER:
		diff |= atomic_long_read(&folio->_rmap_val0) ^ (get_rmap_subid_2(mm, 0) * c);
		diff |= atomic_long_read(&folio->_rmap_val1) ^ (get_rmap_subid_2(mm, 1) * c);
		break;
	default:
		diff |= atomic_long_read(&folio->_rmap_val0) ^ (get_rmap_subid_1(mm) * c);
		break;
	}
	return !diff;
}

/*
 * P09: with rmap IDs, "mapped shared" is exact for a folio with at most folio_nr_pages()
 * mappings. Reads the mapcount and the values as of one instant (seqcount), retrying without
 * bound while writers interfere.
 */
bool __folio_large_mapped_shared(struct folio *folio, struct mm_struct *mm)
{
	unsigned long start;
	bool exclusive;
	int mapcount;

	do {
		start = raw_read_atomic_seqcount_begin(&folio->_rmap_atomic_seqcount);
		mapcount = folio_mapcount(folio);
		/* more mappings than pages: certainly more than one MM, no need to look further */
		if (unlikely(mapcount > folio_nr_pages(folio)))
			return true;
		exclusive = __folio_has_large_matching_rmap_val(folio, mapcount, mm);
	} while (raw_read_atomic_seqcount_retry(&folio->_rmap_atomic_seqcount, start));

	return !exclusive;
}
