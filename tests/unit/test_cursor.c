/* test_cursor.c - the bounds-checked cursor never reads past its window. */
#include "config.h"

#include "cursor.h"
#include "../tests/unit/tap.h"

int main(void)
{
	const uint8_t bytes[] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01 };
	struct cursor c = cur_make(bytes, sizeof(bytes)), sub;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	tap_plan(22);
	ok(cur_be16(&c, &u16) && u16 == 0x1234, "be16 reads network order");
	ok(cur_le16(&c, &u16) && u16 == 0x7856, "le16 reads little-endian");
	is_int(cur_left(&c), 5, "four bytes consumed");
	ok(cur_be32(&c, &u32) && u32 == 0x9abcdef0, "be32");
	ok(!cur_be16(&c, &u16), "be16 with one byte left fails");
	is_int(c.off, 8, "a failed read leaves the cursor where it was");
	ok(cur_u8(&c, &u8) && u8 == 0x01, "last byte");
	ok(!cur_u8(&c, &u8), "nothing after the end");
	ok(!cur_skip(&c, 1), "skip past the end fails");

	c = cur_make(bytes, sizeof(bytes));
	ok(cur_be64(&c, &u64) && u64 == 0x123456789abcdef0ull, "be64");
	c = cur_make(bytes, sizeof(bytes));
	ok(cur_le64(&c, &u64) && u64 == 0xf0debc9a78563412ull, "le64");
	ok(cur_le32(&c, &u32) == false, "le32 with one byte left fails");

	c = cur_make(bytes, sizeof(bytes));
	ok(cur_sub(&c, 4, &sub), "sub-cursor over four bytes");
	is_int(c.off, 4, "parent moved past the sub-cursor");
	ok(cur_be32(&sub, &u32) && u32 == 0x12345678, "sub-cursor reads its window");
	ok(!cur_u8(&sub, &u8), "sub-cursor stops at its own end");
	ok(!cur_sub(&c, 6, &sub), "sub-cursor longer than what is left fails");

	c = cur_make(bytes, sizeof(bytes));
	cur_window(&c, 2);
	ok(cur_be16(&c, &u16), "window of two allows two bytes");
	ok(!cur_u8(&c, &u8), "window of two stops after two");
	c = cur_make(bytes, 3);
	cur_window(&c, 100);
	is_int(cur_left(&c), 3, "a window never grows past the data");
	ok(!cur_skip(&c, SIZE_MAX), "a huge skip does not wrap around");
	{
		uint8_t out[4];
		st_le32(out, 0xdeadbeef);
		ok(ld_le32(out) == 0xdeadbeef && out[0] == 0xef, "store/load little-endian round trip");
	}
	return tap_done();
}
