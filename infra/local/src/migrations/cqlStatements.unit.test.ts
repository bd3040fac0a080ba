import { describe, expect, it } from 'vitest';
import { splitCqlStatements } from './cqlStatements';

describe('splitCqlStatements', () => {
  it('splits at top-level semicolons and drops comments', () => {
    const text = `-- heading; with a semicolon
CREATE TABLE a (x int PRIMARY KEY); // trailing; comment
/* block; comment */ CREATE TABLE b (y int PRIMARY KEY);
`;
    expect(splitCqlStatements(text)).toEqual(['CREATE TABLE a (x int PRIMARY KEY)', 'CREATE TABLE b (y int PRIMARY KEY)']);
  });

  it('keeps semicolons inside strings, escaped quotes and $$ strings', () => {
    const text = "INSERT INTO t (s) VALUES ('a;b''c');\nCREATE FUNCTION f() RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS $$ return 1; $$;";
    expect(splitCqlStatements(text)).toEqual([
      "INSERT INTO t (s) VALUES ('a;b''c')",
      'CREATE FUNCTION f() RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS $$ return 1; $$',
    ]);
  });

  it('accepts a last statement without a semicolon, and an empty file', () => {
    expect(splitCqlStatements('SELECT 1')).toEqual(['SELECT 1']);
    expect(splitCqlStatements('  -- nothing\n')).toEqual([]);
  });
});
