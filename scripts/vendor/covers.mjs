// Whether the committed stylesheet holds every rule a fresh purge keeps: each declaration of each rule, in
// its at-rules (a media query), must be in COMMITTED too. Extra rules in COMMITTED are fine: a word that left
// src/ leaves a rule nobody uses, which costs bytes, not looks.
//
//   node covers.mjs NEEDED COMMITTED
import { readFileSync } from 'node:fs';
import postcss from 'postcss';

// Each declaration under each single selector of its rule (`a,b{x}` is `a{x}` and `b{x}`), so the same
// rules grouped another way still match.
function declarations(file) {
  const found = new Set();
  postcss.parse(readFileSync(file, 'utf8')).walkDecls((decl) => {
    const within = [];
    let selectors = [''];
    for (let node = decl.parent; node && node.type !== 'root'; node = node.parent) {
      if (node.type === 'rule') selectors = node.selectors;
      else within.unshift(`@${node.name} ${node.params}`);
    }
    for (const selector of selectors) {
      found.add(`${within.join(' > ')} ${selector} { ${decl.prop}: ${decl.value}${decl.important ? ' !important' : ''} }`);
    }
  });
  return found;
}

const [needed, committed] = process.argv.slice(2);
const have = declarations(committed);
const missing = [...declarations(needed)].filter((rule) => !have.has(rule));
if (missing.length > 0) {
  console.error(`${committed} lacks ${missing.length} declarations today's src/ needs, e.g.:`);
  for (const rule of missing.slice(0, 10)) console.error(`  ${rule}`);
  process.exit(1);
}
