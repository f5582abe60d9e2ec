// Example sentences for the page's Examples menu: short quotes from the articles the page is built
// on, and a few written for what a sentiment model can show. `model` is the kind the example shows
// best. Each note promises only what tests/browser/test_presets.py measures on the shipped models
// (its `PROMISES`), so an example never teaches the opposite of its lesson.

// Shared by two examples: read one way, and read both ways.
const VERDICT_FIRST = "Awful. I watched it on a Sunday afternoon with two friends from work, and we "
  + "had popcorn and a big bottle of water, and the cinema was about half full, and the film "
  + "started on time and ended a little after six.";

const presets = [
  {
    id: "cereal",
    label: "The cereal review",
    text: "Amazing! This box of cereal gave me a perfectly balanced breakfast, as all things should be. "
      + "I only ate half of it but will definitely be buying again!",
    model: "lstm",
    note: "Which words stay on the highway? By the end “definitely”, “buying” and “again” hold more "
      + "of the memory than “this” or “of”; every band thins a little at each word.",
  },
  {
    id: "movie",
    label: "The movie that turns at “but”",
    text: "The first half of the movie is dry but the second half really picked up the pace. "
      + "The lead actor delivered an amazing performance.",
    model: "lstm",
    note: "The prediction dips at “dry” and ends positive after “amazing performance”; look at the "
      + "gates around “but”.",
  },
  {
    id: "negation",
    label: "Not bad at all (negation)",
    text: "This film is not bad at all.",
    model: "lstm",
    note: "The first test of order: “not” is still on the highway when “bad” arrives. Whether the "
      + "model then turns the verdict is its own to show: watch the prediction at “bad”, and try "
      + "“This film is bad.” to compare.",
  },
  {
    id: "negation-unit",
    label: "Where the LSTM keeps a “not” (unit 6)",
    text: "I do not think the movie was bad.",
    model: "lstm",
    view: "cell",
    unit: 6,
    sameUnits: [11, 14, 22], // named in the note; the test checks them as it checks `unit`
    note: "Unit 6 keeps the “not”: at “not” its forget gate shuts and its input gate opens, writing "
      + "+1; over “think the movie was” the gates hold it (forget near 1, input near 0); at “bad” the "
      + "flag is erased as it is used, and the answer turns positive. Units 11, 14 and 22 do the same "
      + "(11 with −1): try them in the unit box. Step through with the arrows.",
  },
  {
    id: "verdict-first",
    label: "A verdict stated first, then 45 plain words",
    text: VERDICT_FIRST,
    model: "lstm",
    note: "A long dependency a sentiment model can have: the answer starts negative at “Awful”. Is it "
      + "still remembered 45 words later? Watch the prediction and the “Awful” band fade.",
  },
  {
    id: "both-readers",
    label: "Read both ways: a verdict 45 words back (BiLSTM)",
    text: VERDICT_FIRST,
    model: "bilstm",
    note: "The sentence of “A verdict stated first”. The forward reader carries “Awful” over 45 plain "
      + "words, and at the last word it leans positive (so does the one-way lstm). The backward reader "
      + "reads “Awful” last, fresh; its vote tips the verdict ◆ to negative, if only just. Pick "
      + "Reader: both ⇄ to see the two roads.",
  },
  {
    id: "last-line",
    label: "A long review whose last line decides (GRU)",
    text: "I went in with high hopes. The trailer was fun, the cast is full of actors I like, and the "
      + "opening scenes look lovely. Then the middle drags on, the jokes repeat and the plot forgets "
      + "half of its own ideas. By the end I kept checking the time. Honestly, skip this one: it is a "
      + "boring, lazy waste of two hours.",
    model: "gru",
    note: "The friendly start gives way: the GRU ends negative. Watch the update gate near the end.",
  },
];

export default presets;
