# Characters of the CJK subset: GB2312 level 1 (3,755 common simplified hanzi),
# JIS X 0208 level 1 kanji (2,965), KS X 1001 Hangul (2,350), kana, CJK punctuation,
# full-width forms. Derived from Python's codecs, so the list is reproducible.
chars = set()
def grid(codec, rows, cols=range(0xA1, 0xFF)):
    for r in rows:
        for c in cols:
            try:
                chars.update(bytes([r, c]).decode(codec))
            except UnicodeDecodeError:
                pass
grid("gb2312", range(0xB0, 0xD8))
grid("euc_jp", range(0xB0, 0xD0))
grid("euc_kr", range(0xB0, 0xC9))
chars.update(chr(c) for c in range(0x3000, 0x3100))  # CJK punctuation, kana
chars.update(chr(c) for c in range(0xFF01, 0xFF5F))  # full-width forms
chars.update(chr(c) for c in range(0x30A0, 0x3100))
print("".join(sorted(c for c in chars if c.isprintable() or c == "\u3000")))
