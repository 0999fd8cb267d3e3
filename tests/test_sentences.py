from timeline.extract.sentences import split_sentences


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_splits_on_stops_followed_by_a_capital():
    assert sentences("Rain fell. Rivers rose! Was it over? No.") == ["Rain fell.", "Rivers rose!", "Was it over?", "No."]


def test_a_line_break_always_ends_a_sentence():
    assert sentences("Headline without a stop\nBody text here.") == ["Headline without a stop", "Body text here."]


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "Mr. Smith met officials in the U.S. capital. J. K. Rowling spoke on Jan. 5 in London."
    assert sentences(text) == ["Mr. Smith met officials in the U.S. capital.", "J. K. Rowling spoke on Jan. 5 in London."]


def test_spans_give_back_the_text_and_quotes_stay_with_their_sentence():
    text = '  "We won," she said. "Next year too."  '
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ['"We won," she said.', '"Next year too."']


def test_no_sentence_end_in_a_long_line_is_one_sentence():
    text = "word " * 10000
    assert split_sentences(text) == [(0, len(text) - 1)]
