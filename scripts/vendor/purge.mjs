// Bootstrap reduced to the rules miniboard's pages can use: a selector stays when its classes, ids and
// element names all occur as words in the maud templates, src/views/ (the class names they pick at run time
// are literal strings there too), or are in the safelist below. Only the templates: a word in a comment
// elsewhere ("reset") would keep rules no page needs.
//
// Bootstrap's custom properties stay when a kept rule reads them, or when our own stylesheet does.
//
//   node purge.mjs BOOTSTRAP_CSS SRC_DIR OUR_CSS OUTPUT
import { readFileSync, writeFileSync } from 'node:fs';
import { PurgeCSS } from 'purgecss';

const [css, src, ours, output] = process.argv.slice(2);
if (!output) {
  console.error('usage: node purge.mjs BOOTSTRAP_CSS SRC_DIR OUR_CSS OUTPUT');
  process.exit(2);
}
const ourVariables = [...readFileSync(ours, 'utf8').matchAll(/var\((--[\w-]+)/g)].map((match) => match[1]);

// What a post's Markdown may become: the elements ammonia lets through by default (src/markdown.rs), which
// the templates never name themselves. Bootstrap's reboot styles many of them.
const postElements = [
  'a', 'abbr', 'acronym', 'area', 'article', 'aside', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption',
  'center', 'cite', 'code', 'col', 'colgroup', 'data', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt',
  'em', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'i', 'img', 'ins', 'kbd', 'li', 'map', 'mark', 'nav', 'ol', 'p', 'pre', 'q', 'rp', 'rt', 'rtc', 'ruby',
  's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td',
  'th', 'thead', 'time', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
];

const [result] = await new PurgeCSS().purge({
  content: [`${src}/views/**/*.rs`],
  css: [css],
  safelist: { standard: postElements, variables: ourVariables },
  // Custom properties nothing reads go too (Bootstrap defines ~150 on :root).
  variables: true,
});
const original = readFileSync(css, 'utf8');
writeFileSync(output, result.css.endsWith('\n') ? result.css : `${result.css}\n`);
console.log(`bootstrap.min.css: ${original.length} -> ${result.css.length} bytes`);
