-- Version 5: Korean stems linear in the text. Each Hangul word now keeps its leading parts up to six
-- syllables and its form without a particle, not every prefix (a 6,000-syllable run made 18 million bytes
-- of stems). The stems are recomputed in Rust (`search::rebuild_stems`) for every post that has any.
SELECT 1;
