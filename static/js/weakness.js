// What a model still gets wrong, in the model picker's note: its accuracy per behaviour category
// on the held-out behavioural suite (config.json "metrics.behaviour", measured by
// `gatescope evaluate --suite`), so a teacher knows before class which sentences it misreads.

/** Each category as a person would name it, with a sentence of the kind. */
export const CATEGORY_NAMES = {
  negated_negative: "“not” + a negative word (“not bad”)",
  negated_positive: "“not” + a positive word (“not good”)",
  negation_distance: "negation at a distance (“I don't think it was good”)",
  contrast: "contrast (“dull at first, but …”)",
  plain: "plain sentences (“the film was superb”)",
  intensity: "degree words (“very”, “a bit”)",
  filler: "neutral filler between the words that matter",
};
const SHOWN = 2; // the two worst categories: a note, not a table
const WEAK_BELOW = 0.95; // right at least this often counts as no weak spot

/** "misreads 27% of negation at a distance (…) and 12% of contrast (…) (held-out tests)", or ""
 * without figures. */
export function weaknessNote(metrics) {
  const behaviour = metrics && metrics.behaviour;
  if (!behaviour || typeof behaviour !== "object") return "";
  const weak = Object.entries(CATEGORY_NAMES)
    .filter(([key]) => typeof behaviour[key] === "number")
    .map(([key, name]) => ({ name, wrong: 1 - behaviour[key] }))
    .filter((c) => c.wrong > 1 - WEAK_BELOW)
    .sort((a, b) => b.wrong - a.wrong)
    .slice(0, SHOWN);
  if (!weak.length) return "every kind of held-out test sentence at least 95% right";
  const parts = weak.map((c) => `${Math.round(c.wrong * 100)}% of ${c.name}`);
  return `misreads ${parts.join(" and ")} (held-out tests)`;
}
