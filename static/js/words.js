// The words as the reader typed them. The models read GloVe's tokens (lower case, "can't" split as
// "ca" + "n't"); the page shows each token as its span of the typed text, and marks a token that
// was glued to the one before it (no space between), so "can't" reads as one word again.

/**
 * For each token, { word, glued }: `word` is the token's span in `text` (its own case), or the token
 * itself when it cannot be found there; `glued` is true when no space separates it from the token
 * before. The data (store.meta.tokens) keeps the model's tokens.
 */
export function surfaceWords(text, tokens) {
  // Typographic apostrophes and quotes are read as plain ones (same length, so offsets still match).
  const lower = text.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"');
  let at = 0;
  return tokens.map((tok, k) => {
    const i = lower.indexOf(tok.toLowerCase().replace(/[\u2018\u2019]/g, "'"), at);
    // Only a nearby match is the token itself (a tokenizer may rewrite quotes or dashes).
    if (i < 0 || i - at > 40) return { word: tok, glued: false };
    const glued = k > 0 && i === at;
    at = i + tok.length;
    return { word: text.slice(i, i + tok.length), glued };
  });
}
