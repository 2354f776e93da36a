"""Unit tests of the blind bug longest_word: (arguments, expected result)."""

FUNCTION = "longest_word"
LABEL = "operator misuse"

TESTS = [
    ((["a", "bb", "cc"],), "bb"),
    (([],), ""),
    ((["hello"],), "hello"),
    ((["x", "yy", "z"],), "yy"),
    ((["ab", "cd"],), "ab"),
    ((["one", "three", "four"],), "three"),
]
