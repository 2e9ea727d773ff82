//! The index's tokenizer: the words of `domain::search`, folded (lower case, no accents), each Hangul word also under its
//! stems at the same position, so `파이썬` finds `파이썬을` as a word and inside a phrase.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::domain::search::{fold, stems, words};

/// The name the index's text fields are tokenized under.
pub const BOARD_TOKENIZER: &str = "board";

#[derive(Clone, Default)]
pub struct BoardTokenizer;

pub struct BoardTokens {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for BoardTokenizer {
    type TokenStream<'a> = BoardTokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BoardTokens {
        let mut tokens = Vec::new();
        for (position, (at, word)) in words(text).enumerate() {
            let lower = fold(word);
            let token = |text: &str| Token {
                offset_from: at,
                offset_to: at + word.len(),
                position,
                text: text.to_owned(),
                position_length: 1,
            };
            for stem in stems(&lower) {
                tokens.push(token(stem));
            }
            tokens.push(token(&lower));
        }
        BoardTokens { tokens, next: 0 }
    }
}

impl TokenStream for BoardTokens {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(usize, String)> {
        let mut tokenizer = BoardTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut found = Vec::new();
        while stream.advance() {
            found.push((stream.token().position, stream.token().text.clone()));
        }
        found
    }

    #[test]
    fn korean_words_stand_with_their_stems_at_one_position() {
        assert_eq!(
            tokens("Flask와 파이썬을!"),
            [
                (0, "flask".to_owned()),
                (0, "flask와".to_owned()),
                (1, "파이".to_owned()),
                (1, "파이썬".to_owned()),
                (1, "파이썬을".to_owned()),
            ]
        );
        assert!(tokens(" ,.- ").is_empty());
    }
}
