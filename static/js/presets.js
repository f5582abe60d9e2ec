// Example sentences from the articles the page is built on (short quotes), and one written for the
// GRU: a long review whose last line decides it. `model` is the kind the example shows best.

const presets = [
  {
    id: "cereal",
    label: "The cereal review",
    text: "Amazing! This box of cereal gave me a perfectly balanced breakfast, as all things should be. "
      + "I only ate half of it but will definitely be buying again!",
    model: "lstm",
    note: "Which words stay on the highway? Watch “amazing” and “buying again” get written, and the small words fade.",
  },
  {
    id: "movie",
    label: "The movie that turns at “but”",
    text: "The first half of the movie is dry but the second half really picked up the pace. "
      + "The lead actor delivered an amazing performance.",
    model: "lstm",
    note: "The prediction should start negative and end positive; look at the gates around “but”.",
  },
  {
    id: "france",
    label: "I live in France … I speak french",
    text: "I live in France, I like playing football with my friends and going to the school, I speak french",
    model: "lstm",
    note: "A long dependency: what is still on the highway from “France” when “french” arrives?",
  },
  {
    id: "allergy",
    label: "Alice and the nuts",
    text: "Alice is allergic to nuts. She can't eat peanut butter.",
    model: "lstm",
    note: "The second sentence only makes sense with the first one still in memory.",
  },
  {
    id: "weather",
    label: "Feeling under the weather",
    text: "I am feeling under the weather today.",
    model: "gru",
    note: "An idiom: the words only mean “ill” together and in this order.",
  },
  {
    id: "last-line",
    label: "A long review whose last line decides (GRU)",
    text: "I went in with high hopes. The trailer was fun, the cast is full of actors I like, and the "
      + "opening scenes look lovely. Then the middle drags on, the jokes repeat and the plot forgets "
      + "half of its own ideas. By the end I kept checking the time. Honestly, skip this one: it is a "
      + "boring, lazy waste of two hours.",
    model: "gru",
    note: "Does the GRU let the last lines outweigh the friendly start? Watch the update gate near the end.",
  },
];

export default presets;
