/**
 * Tree-sitter grammar for MCL, the Mesos Cluster Language.
 *
 * grammar/mcl.ebnf (at the repository's root) is the normative grammar and
 * src/syntax the real parser; this file follows the EBNF production by
 * production. What the grammar leaves to the compiler: limits (nesting
 * depth), number ranges, address validity, unit names, escapes' validity and
 * duplicate keys. Those inputs parse here and get diagnostics from mesosc.
 */

/* eslint-disable no-undef */

const PREC = {
  range: 1,
  additive: 2,
  term: 3,
  unary: 4,
  call: 5,
};

const IDENT = /[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*/;

module.exports = grammar({
  name: 'mcl',

  extras: $ => [/[ \t\r\n]/, $.comment],

  // Item keywords are keywords only where an item may start; everywhere
  // else the same word is an identifier (keyword extraction is contextual).
  word: $ => $.identifier,

  supertypes: $ => [$._item, $._expression],

  rules: {
    source_file: $ => seq(optional('\uFEFF'), repeat($._item)),

    _item: $ => choice(
      $.cluster,
      $.import,
      $.let,
      $.for,
      $.host,
      $.template,
      $.service,
      $.environment,
      $.section,
    ),

    cluster: $ => seq('cluster', field('name', $._name), field('body', $.block)),
    import: $ => seq('import', field('path', $.string)),
    let: $ => seq('let', field('name', $.identifier), '=', field('value', $._expression)),
    for: $ => seq(
      'for', field('variable', $.identifier),
      'in', field('iterable', $._expression),
      field('body', $.item_body),
    ),
    host: $ => seq(
      'host', field('name', $._name),
      optional($.uses),
      field('body', $.block),
    ),
    uses: $ => seq('uses', commaSep1(field('template', $.identifier))),
    template: $ => seq('template', field('name', $.identifier), field('body', $.block)),
    service: $ => seq('service', field('name', $._name), field('body', $.block)),
    environment: $ => seq('environment', field('name', $._name), field('body', $.item_body)),
    section: $ => seq(
      field('name', $.identifier),
      optional(field('label', $._name)),
      field('body', $.block),
    ),

    item_body: $ => seq('{', repeat($._item), '}'),

    _name: $ => choice($.string, $.identifier),

    // Blocks: entries separated by whitespace alone.
    block: $ => seq('{', repeat($.entry), '}'),

    entry: $ => seq(
      field('key', $._key),
      choice(
        seq('=', field('value', $._expression)),
        seq(optional(field('label', $._name)), field('body', $.block)),
      ),
    ),

    _key: $ => choice($.identifier, $.dotted_key, $.string),

    // `autopurge.purgeInterval`, `server.1`.
    dotted_key: _ => token(seq(IDENT, repeat1(seq('.', /[A-Za-z0-9_][A-Za-z0-9_-]*/)))),

    _expression: $ => choice(
      $.range,
      $.binary_expression,
      $.unary_expression,
      $._primary,
    ),

    range: $ => prec.left(PREC.range, seq(
      field('start', $._expression), '..', field('end', $._expression),
    )),

    binary_expression: $ => choice(
      ...[['+', PREC.additive], ['-', PREC.additive],
        ['*', PREC.term], ['/', PREC.term], ['%', PREC.term]]
        .map(([op, p]) => prec.left(p, seq(
          field('left', $._expression),
          field('operator', op),
          field('right', $._expression),
        ))),
    ),

    unary_expression: $ => prec(PREC.unary, seq(field('operator', '-'), field('operand', $._expression))),

    _primary: $ => choice(
      $.string,
      $.integer,
      $.unit_literal,
      $.address,
      $.boolean,
      $.auto,
      $.call,
      $.identifier,
      $.list,
      $.block,
      $.parenthesized_expression,
    ),

    parenthesized_expression: $ => seq('(', $._expression, ')'),

    // `file("/p")`: the "(" glued to the name.
    call: $ => prec(PREC.call, seq(
      field('function', $.identifier),
      token.immediate('('),
      optional(field('arguments', $._sequence)),
      ')',
    )),

    list: $ => seq('[', optional($._sequence), ']'),

    _sequence: $ => seq(commaSep1($._expression), optional(',')),

    boolean: _ => choice('true', 'false'),
    auto: _ => 'auto',

    identifier: _ => IDENT,

    integer: _ => /[0-9]+/,

    // `30secs`, `0.5secs`, `16GB`: the unit's name is the compiler's business.
    unit_literal: _ => token(seq(/[0-9]+/, optional(/\.[0-9]+/), /[A-Za-z_][A-Za-z0-9_]*/)),

    // `10.0.0.1` (and `1.11.0`, which the compiler rejects: versions are
    // strings), `fd00::1`, `::1`.
    address: _ => token(choice(
      /[0-9]+(\.[0-9]+)+/,
      /[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*[A-Za-z0-9_]*/,
    )),

    string: $ => seq(
      '"',
      repeat(choice(
        $.string_content,
        $.escape_sequence,
        $.interpolation,
        alias(token.immediate('$'), $.string_content),
      )),
      token.immediate('"'),
    ),

    string_content: _ => token.immediate(prec(1, /[^"\\$\r\n]+/)),

    // An unknown escape is the compiler's business (invalid_escape).
    escape_sequence: _ => token.immediate(seq('\\', choice(
      /u\{[0-9A-Fa-f]{1,6}\}/,
      /[^\r\n]/,
    ))),

    interpolation: $ => seq(token.immediate('${'), $._expression, '}'),

    comment: _ => token(prec(-1, seq('#', /[^\r\n]*/))),
  },
});

/**
 * One or more `rule`s separated by commas.
 * @param {RuleOrLiteral} rule
 * @returns {SeqRule}
 */
function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}
