"""Restoring the indentation a dump or a paste flattened (deckgen/text/code.py)."""

from deckgen.text.code import is_flattened, parses, reindent_python


def test_a_pasted_function_gets_its_block_indentation_back():
    code = reindent_python("def total(xs):\ns = 0\nfor x in xs:\ns += x\nreturn s\nprint(total([1, 2]))")
    assert code == ("def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n"
                    "print(total([1, 2]))")


def dumped(code: str) -> str:
    """What a repo dump leaves of indented code: every indentation collapsed to one space."""
    return "\n".join((" " if line[:1] == " " else "") + line.lstrip(" ") for line in code.split("\n"))


COUNTER = """\
class Counter:
    def __init__(self):
        self.n = 0

    def add(self, k):
        if k < 0:
            raise ValueError(k)
        elif k == 0:
            return self.n
        self.n += k
        return self.n
c = Counter()
c.add(2)"""


def test_a_dump_keeps_one_space_before_indented_lines_and_none_at_the_top_level():
    assert dumped(COUNTER).startswith("class Counter:\n def __init__(self):\n self.n = 0")
    assert reindent_python(dumped(COUNTER)) == COUNTER


def test_try_except_finally_line_up_and_a_return_after_a_loop_leaves_the_loop():
    flat = ("def first_even(xs):\n try:\n for x in xs:\n if x % 2 == 0:\n return x\n"
            " return None\n except TypeError:\n pass\n finally:\n print('done')")
    assert reindent_python(flat) == ("def first_even(xs):\n    try:\n        for x in xs:\n"
                                     "            if x % 2 == 0:\n                return x\n"
                                     "        return None\n    except TypeError:\n        pass\n"
                                     "    finally:\n        print('done')")


def test_brackets_docstrings_and_comments_do_not_move_the_structure():
    flat = ('def area(w, h):\n """Area of a\n rectangle."""\n # multiply\n return (w *\n h)\n'
            "print(area(2,\n 3))")
    restored = reindent_python(flat)
    assert parses(restored)
    assert restored.split("\n")[3] == "    # multiply"
    assert restored.split("\n")[4] == "    return (w *"
    assert restored.endswith("print(area(2,\n    3))")


def test_code_with_real_indentation_or_that_is_not_python_is_left_alone():
    assert reindent_python("def f(x):\n    return x\n") is None
    assert not is_flattened("for x in y:\n    print(x)")
    assert reindent_python("SELECT a FROM t:\nWHERE b") is None   # nothing Python could parse


def test_one_space_code_that_parses_is_re_indented_only_to_the_same_program():
    one_space = "for k in range(3):\n print(k,\n k * k)\nprint('end')"
    assert reindent_python(one_space) == "for k in range(3):\n    print(k,\n        k * k)\nprint('end')"


def test_notebook_magics_do_not_stop_the_restoration():
    assert reindent_python("%matplotlib inline\ndef f(x):\nreturn x") == "%matplotlib inline\ndef f(x):\n    return x"


def test_code_sign_is_one_vocabulary_for_every_reader():
    from deckgen.text.code import CODE_SIGN

    for line in ("x = 1", "print(x)", "# a comment", "for row in rows:", "if ready", "WHERE a > 1",
                 "SELECT name", "return total", "arr[0]"):
        assert CODE_SIGN.search(line), line
    for line in ("The model learns from labelled data.", "Formats differ", "Use a smaller learning rate"):
        assert not CODE_SIGN.search(line), line
