"""Unit tests of the blind bug file_extension: (arguments, expected result)."""

FUNCTION = "file_extension"
LABEL = "function misuse"

TESTS = [
    (("a.txt",), "txt"),
    (("archive.tar.gz",), "gz"),
    (("README",), ""),
    (("photo.JPG",), "jpg"),
    ((".bashrc",), "bashrc"),
    (("v1.2.3.zip",), "zip"),
]
