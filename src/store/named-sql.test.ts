import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { namedSql } from './named-sql.ts';

describe('namedSql', () => {
  it('gives each name one number, in the order the names first appear', () => {
    const s = namedSql('select :b, :a, :b', ['a', 'b']);
    assert.equal(s.text, 'select $1, $2, $1');
    assert.deepEqual(s.names, ['b', 'a']);
    assert.deepEqual(s.params({ a: 1, b: null }), [null, 1]);
  });

  it('leaves casts, literals, quoted identifiers and comments alone', () => {
    const s = namedSql(
      `select :id::uuid, ':not', "a:b", '$.x ? (@ == $u)' -- :comment
       /* :block */ from t where x = 'it''s :no'`,
      ['id'],
    );
    assert.equal(
      s.text,
      `select $1::uuid, ':not', "a:b", '$.x ? (@ == $u)' -- :comment
       /* :block */ from t where x = 'it''s :no'`,
    );
  });

  it('refuses hand-numbered parameters, undeclared names and declared names the text lacks', () => {
    assert.throws(() => namedSql('select $1', []), /numbered parameter/);
    assert.throws(() => namedSql('select :a', []), /used but not declared: \[a\]/);
    assert.throws(() => namedSql('select 1', ['a']), /declared but not used: \[a\]/);
  });

  it('refuses to run without a value for a name (null is a value)', () => {
    const s = namedSql('select :a', ['a']);
    assert.throws(() => s.params({} as { a: unknown }), /no value for :a/);
  });
});
