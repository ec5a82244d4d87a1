"""StarRocks SQL for the emulator: a tokenizer, the CREATE TABLE grammar
(checked and translated to MariaDB DDL), the table-model metadata kept in
MariaDB, SHOW CREATE TABLE / DESC in StarRocks' form, the session variables
StarRocks knows and StarRocks' error shapes.  Used by the MySQL front
(mysql_front.py) and by the HTTP load side (emulator.py).  See README.md
beside this file for the rules and where each comes from.

Standard library plus python3-pymysql only.
"""

import difflib
import json
import re
import threading

try:
    import pymysql
except ImportError:  # pragma: no cover
    pymysql = None

META_DB = "_sr_emulator"

# ---------------------------------------------------------------------------
# errors


class SrError(Exception):
    """An error StarRocks' FE would send: errno, SQLSTATE, message."""

    def __init__(self, errno, sqlstate, msg):
        super().__init__(msg)
        self.errno = errno
        self.sqlstate = sqlstate
        self.msg = msg


def analysis_error(detail, errno=1064, sqlstate="HY000"):
    # SemanticException.getMessage(): "Getting analyzing error[ at ...].
    # Detail message: X."  The FE's error packet has no code of its own for
    # it, so MysqlErrPacket's default 1064 / HY000 goes out.
    return SrError(errno, sqlstate, "Getting analyzing error. Detail message: %s." % detail)


def plain_error(errno, sqlstate, msg):
    return SrError(errno, sqlstate, msg)


def _tok_display(tok):
    if tok is None or tok.kind == "eof":
        return "<EOF>"
    return tok.text


def syntax_error(tok, expected=None, detail=None):
    """ParsingException.getMessage(): "Getting syntax error at line L,
    column C. Detail message: ..." (ParserErrorMsg: "Unexpected input 'X',
    the most similar input is {...}" / "No viable statement for input 'X'")."""
    if detail is None:
        if expected:
            detail = "Unexpected input '%s', the most similar input is {%s}" % (
                _tok_display(tok), ", ".join(expected))
        else:
            detail = "No viable statement for input '%s'" % _tok_display(tok)
    if tok is not None:
        return SrError(1064, "HY000", "Getting syntax error at line %d, column %d. Detail message: %s."
                       % (tok.line, tok.col, detail))
    return SrError(1064, "HY000", "Getting syntax error. Detail message: %s." % detail)


# ---------------------------------------------------------------------------
# tokenizer

class Tok:
    __slots__ = ("kind", "text", "val", "pos", "end", "line", "col")

    def __init__(self, kind, text, val, pos, end, line, col):
        self.kind = kind      # ident qident str num var param op eof
        self.text = text      # as written
        self.val = val        # ident: upper case; qident/str: unquoted
        self.pos = pos
        self.end = end
        self.line = line
        self.col = col

    def __repr__(self):
        return "Tok(%s,%r)" % (self.kind, self.text)

    def kw(self, *words):
        return self.kind == "ident" and self.val in words

    def op(self, *ops):
        return self.kind == "op" and self.text in ops

    @property
    def name(self):
        """Identifier name (unquoted); None if not an identifier."""
        if self.kind == "ident":
            return self.text
        if self.kind == "qident":
            return self.val
        return None


_WORD = re.compile(r"[A-Za-z0-9_$\u0080-\uffff]+")
_NUM = re.compile(r"0[xX][0-9A-Fa-f]+|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_OPS3 = ("<=>", "->>")
_OPS2 = ("<=", ">=", "<>", "!=", "||", "&&", "->", "::", ":=")
_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}


def tokenize(sql):
    """Tokens of sql (comments dropped), ending with an 'eof' token.  A
    string or quoted name left open is one 'bad' token up to the end."""
    return list(itokenize(sql))


def itokenize(sql):
    """tokenize(), one token at a time."""
    i, n = 0, len(sql)
    line, lstart = 1, 0
    while i < n:
        c = sql[i]
        if c == "\n":
            line += 1
            lstart = i + 1
            i += 1
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        if c == "#" or (c == "-" and sql.startswith("--", i)):
            j = sql.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "/" and sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            end = n if j < 0 else j + 2
            for k in range(i, end):
                if sql[k] == "\n":
                    line += 1
                    lstart = k + 1
            i = end
            continue
        start, col, sline = i, i - lstart, line
        if c in "'\"`":
            j = i + 1
            buf = []
            closed = False
            while j < n:
                d = sql[j]
                if d == "\\" and c != "`" and j + 1 < n:
                    e = sql[j + 1]
                    buf.append(_ESCAPES.get(e, e))
                    j += 2
                    continue
                if d == c:
                    if j + 1 < n and sql[j + 1] == c:
                        buf.append(c)
                        j += 2
                        continue
                    closed = True
                    break
                if d == "\n":
                    line += 1
                    lstart = j + 1
                buf.append(d)
                j += 1
            end = j + 1 if closed else n
            kind = ("qident" if c == "`" else "str") if closed else "bad"
            yield (Tok(kind, sql[start:end], "".join(buf), start, end, sline, col))
            i = end
            continue
        if c.isdigit() or (c == "." and i + 1 < n and sql[i + 1].isdigit()):
            m = _NUM.match(sql, i)
            w = _WORD.match(sql, i)
            if w and w.end() > m.end() and not re.fullmatch(r"\d+[eE]\d*", sql[i:w.end()]):
                # a name that starts with digits (DIGIT_IDENTIFIER)
                yield (Tok("ident", w.group(), w.group().upper(), i, w.end(), sline, col))
                i = w.end()
                continue
            yield (Tok("num", m.group(), m.group(), i, m.end(), sline, col))
            i = m.end()
            continue
        if c.isalpha() or c in "_$" or ord(c) > 127:
            m = _WORD.match(sql, i)
            word = m.group()
            if word in ("x", "X", "b", "B") and m.end() < n and sql[m.end()] == "'":
                j = sql.find("'", m.end() + 1)
                end = n if j < 0 else j + 1
                yield (Tok("str", sql[i:end], sql[m.end() + 1:end - 1], i, end, sline, col))
                i = end
                continue
            yield (Tok("ident", word, word.upper(), i, m.end(), sline, col))
            i = m.end()
            continue
        if c == "@":
            m = re.compile(r"@@?(?:[A-Za-z0-9_$.]+|`[^`]*`|'[^']*')?").match(sql, i)
            yield (Tok("var", m.group(), m.group().lower(), i, m.end(), sline, col))
            i = m.end()
            continue
        if c == "?":
            yield (Tok("param", "?", "?", i, i + 1, sline, col))
            i += 1
            continue
        for ops in (_OPS3, _OPS2):
            hit = next((o for o in ops if sql.startswith(o, i)), None)
            if hit:
                break
        if not hit:
            hit = c
        yield (Tok("op", hit, hit, i, i + len(hit), sline, col))
        i += len(hit)
    yield (Tok("eof", "", "", n, n, line, n - lstart))


_TAIL = re.compile(r"'(?:[^'\\]|\\.|'')*'?|\"(?:[^\"\\]|\\.|\"\")*\"?|`(?:[^`]|``)*`?|/\*.*?(?:\*/|$)"
                   r"|--[^\n]*|#[^\n]*|[A-Za-z_][A-Za-z0-9_$]*|[(),;]|\s+|[^'\"`(),;A-Za-z_/#-]+|.", re.S)


def scan_tail(sql, pos):
    """A quick look at the body of a long statement from pos, without
    tokens: (top-level '(' groups, position of the end (a top-level ';' or
    the text's end), the top-level words met outside the groups)."""
    depth = groups = 0
    words = []
    end = len(sql)
    for m in _TAIL.finditer(sql, pos):
        g = m.group()
        c = g[0]
        if c == "(":
            if depth == 0:
                groups += 1
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == ";" and depth == 0:
            end = m.start()
            rest = sql[m.end():]
            if re.sub(r"/\*.*?\*/|--[^\n]*|#[^\n]*|[\s;]", "", rest, flags=re.S):
                words.append(";")
            break
        elif depth == 0 and (c.isalpha() or c == "_"):
            words.append(g.upper())
    return groups, end, words


def split_statements(toks):
    """Lists of tokens, one per ';'-separated statement (empty ones
    dropped), each ending with an eof token."""
    out, cur = [], []
    for t in toks:
        if t.kind == "eof" or t.op(";"):
            if cur:
                cur.append(Tok("eof", "", "", t.pos, t.pos, t.line, t.col))
                out.append(cur)
            cur = []
            continue
        cur.append(t)
    return out


def quote_ident(name):
    return "`" + name.replace("`", "``") + "`"


_SQ = {0: "\\0", 10: "\\n", 13: "\\r", 26: "\\Z", 39: "\\'", 92: "\\\\"}


def quote_str(s):
    return "'" + str(s).translate(_SQ) + "'"


def dq(s):
    """StarRocks' double-quoted form in SHOW CREATE TABLE."""
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


# StarRocks' reserved words (docs: sql-reference/sql-statements/keywords.md):
# they need backquotes to be used as names.
RESERVED = frozenset("""
ADD ALL ALTER ANALYZE AND ANTI ARRAY AS ASC BETWEEN BIGINT BITMAP BOTH BY CASE CHAR CHARACTER
CHECK COLLATE COLUMN COMPACTION CONVERT CREATE CROSS CUBE CURRENT_DATE CURRENT_ROLE CURRENT_TIME
CURRENT_TIMESTAMP CURRENT_USER DATABASE DATABASES DECIMAL DECIMALV2 DECIMAL32 DECIMAL64 DECIMAL128
DEFAULT DELETE DENSE_RANK DESC DESCRIBE DISTINCT DOUBLE DROP DUAL DEFERRED ELSE EXCEPT EXISTS
EXPLAIN FALSE FIRST_VALUE FLOAT FOR FORCE FROM FULL FUNCTION GRANT GROUP GROUPS GROUPING GROUPING_ID
HAVING HLL HOST IF IGNORE IN INDEX INFILE INNER INSERT INT INTEGER INTERSECT INTO IS IMMEDIATE JOIN
JSON KEY KEYS KILL LAG LARGEINT LAST_VALUE LATERAL LEAD LEFT LIKE LIMIT LOAD LOCALTIME
LOCALTIMESTAMP MAXVALUE MINUS MOD NTILE NOT NULL ON OR ORDER OUTER OUTFILE OVER PARTITION
PERCENTILE PRIMARY PROCEDURE RANGE RANK READ REGEXP RELEASE RENAME REPLACE REVOKE RIGHT RLIKE ROW
ROWS ROW_NUMBER SCHEMA SCHEMAS SELECT SEMI SET SHOW SMALLINT SYSTEM TABLE TERMINATED THEN TINYINT
TO TRUE UNION UNIQUE UNSIGNED UPDATE USE USING VALUES VARCHAR WHEN WHERE WITH
""".split())


class Parser:
    """Cursor over a statement's tokens."""

    def __init__(self, toks, sql):
        self.toks = toks
        self.sql = sql
        self.i = 0

    def peek(self, k=0):
        j = min(self.i + k, len(self.toks) - 1)
        return self.toks[j]

    def next(self):
        t = self.peek()
        if self.i < len(self.toks) - 1:
            self.i += 1
        return t

    def at_end(self):
        return self.peek().kind == "eof"

    def accept_kw(self, *words):
        if self.peek().kw(*words):
            return self.next()
        return None

    def accept_seq(self, *words):
        for k, w in enumerate(words):
            if not self.peek(k).kw(w):
                return False
        for _ in words:
            self.next()
        return True

    def expect_kw(self, *words):
        t = self.peek()
        if t.kw(*words):
            return self.next()
        raise syntax_error(t, ["'%s'" % w for w in words])

    def accept_op(self, *ops):
        if self.peek().op(*ops):
            return self.next()
        return None

    def expect_op(self, *ops):
        t = self.peek()
        if t.op(*ops):
            return self.next()
        raise syntax_error(t, ["'%s'" % o for o in ops])

    def identifier(self, what="a legal identifier"):
        t = self.peek()
        if t.kind == "qident" or (t.kind == "ident" and t.val not in RESERVED):
            self.next()
            return t.name
        raise syntax_error(t, [what])

    def qualified_name(self):
        parts = [self.identifier()]
        while self.peek().op("."):
            self.next()
            parts.append(self.identifier())
        if len(parts) > 3:
            raise syntax_error(self.peek(), ["a legal identifier"])
        if len(parts) == 3:
            if parts[0] != "default_catalog":
                raise analysis_error("emulator: only default_catalog exists, not %s" % parts[0])
            parts = parts[1:]
        if len(parts) == 2:
            return parts[0], parts[1]
        return None, parts[0]

    def string(self):
        t = self.peek()
        if t.kind == "str":
            self.next()
            return t.val
        raise syntax_error(t, ["a string"])

    def integer(self):
        t = self.peek()
        if t.kind == "num" and t.text.isdigit():
            self.next()
            return int(t.text)
        raise syntax_error(t, ["an integer"])

    def identifier_list(self):
        self.expect_op("(")
        names = [self.identifier()]
        while self.accept_op(","):
            names.append(self.identifier())
        self.expect_op(")")
        return names

    def skip_balanced(self):
        """Skips one '(' ... ')' group (the current token is '(') and
        returns the source text it spans."""
        start = self.peek()
        depth = 0
        while True:
            t = self.next()
            if t.kind == "eof":
                raise syntax_error(t, ["')'"])
            if t.op("(", "[", "{"):
                depth += 1
            elif t.op(")", "]", "}"):
                depth -= 1
                if depth == 0:
                    return self.sql[start.pos:t.end]

    def text_from(self, tok):
        return self.sql[tok.pos:self.peek().pos].strip()

    def property_list(self):
        """'(' "k" = "v" [, ...] ')' -> list of (k, v)."""
        self.expect_op("(")
        props = []
        if self.peek().op(")"):
            self.next()
            return props
        while True:
            k = self.string()
            self.expect_op("=")
            v = self.string()
            props.append((k, v))
            if self.accept_op(","):
                continue
            self.expect_op(")")
            return props


# ---------------------------------------------------------------------------
# types

INT_TYPES = ("TINYINT", "SMALLINT", "INT", "BIGINT", "LARGEINT")
INT_WIDTH = {"TINYINT": 4, "SMALLINT": 6, "INT": 11, "BIGINT": 20, "LARGEINT": 40}
INT_BYTES = {"BOOLEAN": 1, "TINYINT": 1, "SMALLINT": 2, "INT": 4, "BIGINT": 8, "LARGEINT": 16,
             "DATE": 3, "DATETIME": 8, "FLOAT": 4, "DOUBLE": 8}
DECIMAL_NAMES = ("DECIMAL", "DECIMALV2", "DECIMAL32", "DECIMAL64", "DECIMAL128", "DECIMAL256",
                 "NUMERIC", "NUMBER")
TYPE_START = (INT_TYPES + ("INTEGER", "SIGNED", "UNSIGNED", "BOOLEAN", "FLOAT", "DOUBLE", "DATE",
                           "DATETIME", "TIME", "CHAR", "VARCHAR", "STRING", "TEXT", "BITMAP", "HLL",
                           "PERCENTILE", "JSON", "VARIANT", "VARBINARY", "BINARY", "ARRAY", "MAP",
                           "STRUCT") + DECIMAL_NAMES)
MAX_VARCHAR = 1048576
STRING_LEN = 65533


class SrType:
    """A StarRocks column type.  base: BOOLEAN, TINYINT..LARGEINT, FLOAT,
    DOUBLE, DECIMAL (precision/scale), DATE, DATETIME, CHAR, VARCHAR,
    STRING, VARBINARY, JSON, ARRAY, MAP, STRUCT (and the unsupported
    TIME, BITMAP, HLL, PERCENTILE, VARIANT)."""

    def __init__(self, base, length=None, precision=None, scale=None, items=None, fields=None, spelled=None):
        self.base = base
        self.length = length
        self.precision = precision
        self.scale = scale
        self.items = items or []        # ARRAY: [t]; MAP: [k, v]
        self.fields = fields or []      # STRUCT: [(name, t)]
        self.spelled = spelled or base

    def to_json(self):
        d = {"b": self.base}
        for k in ("length", "precision", "scale"):
            v = getattr(self, k)
            if v is not None:
                d[k[0]] = v
        if self.items:
            d["i"] = [t.to_json() for t in self.items]
        if self.fields:
            d["f"] = [[n, t.to_json()] for n, t in self.fields]
        return d

    @classmethod
    def from_json(cls, d):
        return cls(d["b"], d.get("l"), d.get("p"), d.get("s"),
                   [cls.from_json(x) for x in d.get("i", [])],
                   [(n, cls.from_json(x)) for n, x in d.get("f", [])])

    @property
    def is_complex(self):
        return self.base in ("ARRAY", "MAP", "STRUCT")

    @property
    def is_string(self):
        return self.base in ("CHAR", "VARCHAR", "STRING")

    @property
    def is_numeric(self):
        return self.base in INT_TYPES or self.base in ("FLOAT", "DOUBLE", "DECIMAL")

    def decimal_kind(self):
        p = self.precision
        return "decimal32" if p <= 9 else "decimal64" if p <= 18 else "decimal128" if p <= 38 else "decimal256"

    def show(self):
        """As SHOW CREATE TABLE writes it (docs SHOW_CREATE_TABLE.md:
        tinyint(4), decimal64(10, 2), char(10), int(11))."""
        b = self.base
        if b in INT_WIDTH:
            return "%s(%d)" % (b.lower(), INT_WIDTH[b])
        if b == "DECIMAL":
            return "%s(%d, %d)" % (self.decimal_kind(), self.precision, self.scale)
        if b in ("CHAR", "VARCHAR"):
            return "%s(%d)" % (b.lower(), self.length)
        if b == "STRING":
            return "varchar(%d)" % STRING_LEN
        if b == "VARBINARY":
            return "varbinary" if self.length is None else "varbinary(%d)" % self.length
        if b == "ARRAY":
            return "array<%s>" % self.items[0].show()
        if b == "MAP":
            return "map<%s,%s>" % (self.items[0].show(), self.items[1].show())
        if b == "STRUCT":
            return "struct<%s>" % ", ".join("%s %s" % (n, t.show()) for n, t in self.fields)
        return b.lower()

    def desc(self):
        """As DESC writes it (docs DESCRIBE.md: TINYINT, DECIMAL(10,2), CHAR(10))."""
        b = self.base
        if b == "DECIMAL":
            return "DECIMAL(%d,%d)" % (self.precision, self.scale)
        if b in ("CHAR", "VARCHAR"):
            return "%s(%d)" % (b, self.length)
        if b == "STRING":
            return "VARCHAR(%d)" % STRING_LEN
        if b == "VARBINARY":
            return "VARBINARY" if self.length is None else "VARBINARY(%d)" % self.length
        if b == "ARRAY":
            return "ARRAY<%s>" % self.items[0].desc()
        if b == "MAP":
            return "MAP<%s,%s>" % (self.items[0].desc(), self.items[1].desc())
        if b == "STRUCT":
            return "STRUCT<%s>" % ", ".join("%s %s" % (n, t.desc()) for n, t in self.fields)
        return b

    def schema_types(self):
        """(DATA_TYPE, COLUMN_TYPE) as StarRocks' information_schema.COLUMNS
        gives them (be/src/exec/schema_scanner/schema_columns_scanner.cpp,
        to_mysql_data_type_string / type_to_string)."""
        b = self.base
        if b == "BOOLEAN":
            return "tinyint", "tinyint(1)"
        if b in ("TINYINT", "SMALLINT", "INT", "BIGINT"):
            return b.lower(), "%s(%d)" % (b.lower(), INT_WIDTH[b])
        if b == "LARGEINT":
            return "bigint unsigned", "bigint(20) unsigned"
        if b in ("FLOAT", "DOUBLE", "DATE", "DATETIME", "JSON"):
            return b.lower(), b.lower()
        if b in ("CHAR", "VARCHAR"):
            return b.lower(), "%s(%d)" % (b.lower(), self.length)
        if b == "STRING":
            return "varchar", "varchar(%d)" % STRING_LEN
        if b == "DECIMAL":
            return "decimal", "decimal(%d,%d)" % (self.precision, self.scale)
        return "unknown", "unknown"

    def key_type_ok(self):
        """KeysDesc: primary (and sort) key columns may be BOOLEAN, an integer
        type, LARGEINT, VARCHAR (STRING is a VARCHAR), DATE or DATETIME."""
        return self.base in ("BOOLEAN", "VARCHAR", "STRING", "DATE", "DATETIME") or self.base in INT_TYPES

    def mariadb(self):
        """(MariaDB type, maximum bytes as a CHECK or None, bytes in an index
        key or None when it cannot be a plain key)."""
        b = self.base
        if b == "BOOLEAN":
            return "TINYINT(1)", None, 1
        if b in ("TINYINT", "SMALLINT", "INT", "BIGINT"):
            return b, None, INT_BYTES[b]
        if b == "LARGEINT":
            return "DECIMAL(39,0)", None, 17
        if b in ("FLOAT", "DOUBLE", "DATE"):
            return b, None, INT_BYTES[b]
        if b == "DATETIME":
            return "DATETIME(6)", None, 8
        if b == "DECIMAL":
            return "DECIMAL(%d,%d)" % (self.precision, self.scale), None, 17
        if b == "CHAR":
            return "CHAR(%d)" % self.length, self.length, 4 * self.length
        if b == "VARCHAR":
            if self.length <= 1024:
                return "VARCHAR(%d)" % self.length, self.length, 4 * self.length + 2
            return "MEDIUMTEXT", self.length, None
        if b == "STRING":
            return "MEDIUMTEXT", STRING_LEN, None
        if b == "VARBINARY":
            if self.length is not None and self.length <= 1024:
                return "VARBINARY(%d)" % self.length, None, self.length + 2
            return "MEDIUMBLOB", self.length, None
        if b == "JSON":
            return "JSON", None, None
        return "LONGTEXT", None, None      # ARRAY / MAP / STRUCT as text

    def index_size(self):
        """Type.getIndexSize() as CreateTableAnalyzer uses it to pick the
        default Duplicate Key columns (approximate for strings)."""
        if self.base in INT_BYTES:
            return INT_BYTES[self.base]
        if self.base == "DECIMAL":
            return 8 if self.precision <= 18 else 16
        return 20


def parse_type(p):
    t = p.peek()
    if t.kind != "ident" or t.val not in TYPE_START:
        raise syntax_error(t, ["a legal type"])
    p.next()
    up = t.val

    def opt_len():
        if p.peek().op("("):
            p.next()
            n = p.integer()
            p.expect_op(")")
            return n
        return None

    if up in INT_TYPES or up == "INTEGER":
        opt_len()
        return SrType("INT" if up == "INTEGER" else up, spelled=up)
    if up == "SIGNED":
        p.accept_kw("INT", "INTEGER")
        return SrType("INT", spelled="SIGNED")
    if up == "UNSIGNED":
        p.accept_kw("INT", "INTEGER")
        return SrType("BIGINT", spelled="UNSIGNED")
    if up in ("CHAR", "VARCHAR"):
        n = opt_len()
        ty = SrType(up, 1 if n is None else n)
        lim = 255 if up == "CHAR" else MAX_VARCHAR
        if not 1 <= ty.length <= lim:
            raise analysis_error("%s size must be between 1 and %d" % (up.capitalize(), lim))
        return ty
    if up in ("STRING", "TEXT"):
        return SrType("STRING", spelled=up)
    if up in ("VARBINARY", "BINARY"):
        return SrType("VARBINARY", opt_len(), spelled=up)
    if up in DECIMAL_NAMES:
        prec, scale = 10, 0
        if p.peek().op("("):
            p.next()
            prec = p.integer()
            if p.accept_op(","):
                scale = p.integer()
            p.expect_op(")")
        maxp = 76 if up == "DECIMAL256" else 38
        if not 1 <= prec <= maxp:
            raise analysis_error("DECIMAL's precision should range from 1 to %d" % maxp)
        if not 0 <= scale <= prec:
            raise analysis_error("DECIMAL's scale should range from 0 to %d" % prec)
        return SrType("DECIMAL", precision=prec, scale=scale, spelled=up)
    if up == "ARRAY":
        p.expect_op("<")
        item = parse_type(p)
        p.expect_op(">")
        return SrType("ARRAY", items=[item])
    if up == "MAP":
        p.expect_op("<")
        k = parse_type(p)
        p.expect_op(",")
        v = parse_type(p)
        p.expect_op(">")
        return SrType("MAP", items=[k, v])
    if up == "STRUCT":
        p.expect_op("<")
        fields = []
        while True:
            name = p.identifier()
            fields.append((name, parse_type(p)))
            if not p.accept_op(","):
                break
        p.expect_op(">")
        return SrType("STRUCT", fields=fields)
    return SrType(up)


# ---------------------------------------------------------------------------
# CREATE TABLE

AGG_FUNCS = ("SUM", "MAX", "MIN", "REPLACE", "REPLACE_IF_NOT_NULL", "HLL_UNION", "BITMAP_UNION",
             "PERCENTILE_UNION")
MODELS = {"DUPLICATE": "DUP_KEYS", "AGGREGATE": "AGG_KEYS", "UNIQUE": "UNIQUE_KEYS", "PRIMARY": "PRIMARY_KEYS"}


class ColumnDef:
    def __init__(self, name):
        self.name = name
        self.type = None
        self.agg = None
        self.nullable = None        # None: not written
        self.default = None         # (kind, text): ('str', v) ('null',) ('now',) ('expr', sql)
        self.auto_increment = False
        self.generated = None
        self.comment = ""
        self.key = False

    def to_json(self):
        return {"name": self.name, "type": self.type.to_json(), "agg": self.agg,
                "nullable": self.nullable, "default": self.default, "auto_increment": self.auto_increment,
                "generated": self.generated, "comment": self.comment, "key": self.key}

    @classmethod
    def from_json(cls, d):
        c = cls(d["name"])
        c.type = SrType.from_json(d["type"])
        c.agg = d.get("agg")
        c.nullable = d.get("nullable")
        c.default = tuple(d["default"]) if d.get("default") else None
        c.auto_increment = bool(d.get("auto_increment"))
        c.generated = d.get("generated")
        c.comment = d.get("comment") or ""
        c.key = bool(d.get("key"))
        return c


class TableDef:
    """What the emulator remembers of a StarRocks table."""

    def __init__(self):
        self.db = None
        self.name = None
        self.if_not_exists = False
        self.columns = []
        self.indexes = []           # source text of INDEX clauses
        self.engine = "OLAP"
        self.model = None           # DUPLICATE AGGREGATE UNIQUE PRIMARY
        self.keys = []
        self.keys_given = False
        self.comment = None
        self.partition = None       # source text
        self.distribution = None    # {"kind": HASH|RANDOM, "cols": [...], "buckets": n|None}
        self.order_by = []
        self.properties = []

    def column(self, name):
        low = name.lower()
        for c in self.columns:
            if c.name.lower() == low:
                return c
        return None

    @property
    def value_columns(self):
        keys = {k.lower() for k in self.keys}
        return [c for c in self.columns if c.name.lower() not in keys]

    def to_json(self):
        return {"columns": [c.to_json() for c in self.columns], "indexes": self.indexes,
                "engine": self.engine, "model": self.model, "keys": self.keys, "comment": self.comment,
                "partition": self.partition, "distribution": self.distribution, "order_by": self.order_by,
                "properties": self.properties}

    @classmethod
    def from_json(cls, d, db=None, name=None):
        t = cls()
        t.db, t.name = db, name
        t.columns = [ColumnDef.from_json(c) for c in d["columns"]]
        t.indexes = d.get("indexes") or []
        t.engine = d.get("engine") or "OLAP"
        t.model = d["model"]
        t.keys = d["keys"]
        t.keys_given = True
        t.comment = d.get("comment")
        t.partition = d.get("partition")
        t.distribution = d.get("distribution")
        t.order_by = d.get("order_by") or []
        t.properties = [tuple(x) for x in d.get("properties") or []]
        return t


def parse_column(p):
    c = ColumnDef(p.identifier())
    if c.name.lower().startswith(("__op", "__row")):
        # FE: names starting with __op / __row are reserved
        # (CREATE_TABLE.md, "col_name"; allow_system_reserved_names).
        raise plain_error(1166, "42000", "Getting analyzing error. Detail message: Incorrect column name "
                          "'%s'. Column names starting with __op or __row are reserved." % c.name)
    c.type = parse_type(p)
    if p.peek().kw("CHAR") and p.peek(1).kw("SET"):
        p.next(), p.next(), p.identifier()
    elif p.peek().kw("CHARSET"):
        p.next(), p.identifier()
    elif p.peek().kw("CHARACTER") and p.peek(1).kw("SET"):
        p.next(), p.next(), p.identifier()
    if p.accept_kw("KEY"):
        c.key = True
    t = p.peek()
    if t.kw(*AGG_FUNCS):
        p.next()
        c.agg = t.val
    if p.accept_kw("NULL"):
        c.nullable = True
    elif p.peek().kw("NOT") and p.peek(1).kw("NULL"):
        p.next(), p.next()
        c.nullable = False
    if p.accept_kw("DEFAULT"):
        d = p.peek()
        if d.kind == "str":
            p.next()
            c.default = ("str", d.val)
        elif d.kw("NULL"):
            p.next()
            c.default = ("null",)
        elif d.kw("CURRENT_TIMESTAMP"):
            p.next()
            if p.peek().op("("):
                p.skip_balanced()
            c.default = ("now",)
        elif d.op("("):
            c.default = ("expr", p.skip_balanced())
        elif d.kind == "num" or (d.op("-") and p.peek(1).kind == "num"):
            start = p.next()
            if start.op("-"):
                p.next()
            c.default = ("str", p.sql[start.pos:p.toks[p.i - 1].end])
        elif d.op("["):
            c.default = ("expr", p.skip_balanced())
        elif d.kind == "ident" and d.val in ("MAP", "ROW") and p.peek(1).op("{", "("):
            start = p.next()
            p.skip_balanced()
            c.default = ("expr", p.sql[start.pos:p.toks[p.i - 1].end])
        else:
            raise syntax_error(d, ["a string", "NULL", "CURRENT_TIMESTAMP", "'('"])
    elif p.accept_kw("AUTO_INCREMENT"):
        c.auto_increment = True
        if c.nullable:
            # ParserErrorMsg.nullColFoundInPK
            raise syntax_error(p.toks[p.i - 1], detail="AUTO_INCREMENT column %s must be NOT NULL" % c.name)
        c.nullable = False
    elif p.peek().kw("AS"):
        p.next()
        start = p.peek()
        depth = 0
        while True:
            t = p.peek()
            if t.kind == "eof" or (depth == 0 and (t.op(",", ")") or t.kw("COMMENT"))):
                break
            if t.op("("):
                depth += 1
            elif t.op(")"):
                depth -= 1
            p.next()
        c.generated = p.text_from(start)
    if p.accept_kw("COMMENT"):
        c.comment = p.string()
    t = p.peek()
    if not t.op(",", ")"):
        raise syntax_error(t, ["','", "')'"])
    return c


def parse_create_table(toks, sql):
    """-> ('table', TableDef) | ('like', db, name, src_db, src_name, if_not_exists)
    | ('ctas', TableDef, select_sql)."""
    p = Parser(toks, sql)
    p.expect_kw("CREATE")
    if p.peek().kw("EXTERNAL"):
        raise analysis_error("emulator: EXTERNAL tables are not supported")
    p.accept_kw("TEMPORARY")
    p.expect_kw("TABLE")
    td = TableDef()
    if p.accept_seq("IF", "NOT", "EXISTS"):
        td.if_not_exists = True
    td.db, td.name = p.qualified_name()
    if p.peek().kw("LIKE"):
        p.next()
        sdb, sname = p.qualified_name()
        p.accept_op(";")
        if not p.at_end():
            raise syntax_error(p.peek(), ["<EOF>", "';'"])
        return ("like", td.db, td.name, sdb, sname, td.if_not_exists)
    if not p.peek().op("("):
        return parse_ctas(p, td)
    if _looks_like_ctas_columns(p):
        return parse_ctas(p, td)
    p.expect_op("(")
    while True:
        if p.peek().kw("INDEX"):
            start = p.next()
            p.identifier()
            p.identifier_list()
            if p.accept_kw("USING"):
                p.expect_kw("BITMAP", "GIN", "NGRAMBF", "VECTOR")
                if p.peek().op("("):
                    p.property_list()
            if p.accept_kw("COMMENT"):
                p.string()
            td.indexes.append(p.text_from(start))
        else:
            if td.indexes:
                raise syntax_error(p.peek(), ["'INDEX'"])
            td.columns.append(parse_column(p))
        if p.accept_op(","):
            continue
        p.expect_op(")")
        break
    parse_table_tail(p, td)
    analyze_table(td)
    return ("table", td)


def _looks_like_ctas_columns(p):
    """CREATE TABLE t (a, b) ... AS SELECT: a name list, not column definitions."""
    j = 1
    while True:
        t = p.peek(j)
        n = p.peek(j + 1)
        if t.name is None:
            return False
        if n.op(")"):
            return True
        if not n.op(","):
            return False
        j += 2


def parse_table_tail(p, td, ctas=False):
    if p.accept_kw("ENGINE"):
        p.expect_op("=")
        eng = p.identifier()
        if eng.upper() != "OLAP":
            if eng.upper() in ("MYSQL", "ELASTICSEARCH", "HIVE", "ICEBERG", "HUDI", "JDBC", "BROKER", "FILE", "ODPS"):
                raise analysis_error("emulator: only ENGINE = OLAP tables are supported, not %s" % eng)
            # CreateTableAnalyzer.analyzeEngineName
            raise analysis_error("Unknown engine name: %s" % eng)
    if not ctas:
        t = p.peek()
        if t.kw("DEFAULT", "CHARSET", "CHARACTER", "CHAR"):
            p.accept_kw("DEFAULT")
            if p.accept_kw("CHARSET"):
                pass
            elif p.peek().kw("CHAR", "CHARACTER") and p.peek(1).kw("SET"):
                p.next(), p.next()
            else:
                raise syntax_error(p.peek(), ["'CHARSET'", "'CHARACTER SET'"])
            p.accept_op("=")
            cs_tok = p.peek()
            if cs_tok.kind == "str":
                cs = p.string()
            else:
                cs = p.identifier()
            # CreateTableAnalyzer.analyzeCharsetName: UTF8 (GBK is known
            # but refused); anything else is unknown.
            if cs.lower() == "gbk":
                raise analysis_error("charset name %s is not supported yet" % cs)
            if cs.lower() != "utf8":
                raise analysis_error("Unknown charset name: %s" % cs)
    t = p.peek()
    if t.kw(*MODELS) and p.peek(1).kw("KEY"):
        p.next(), p.next()
        td.model = t.val
        td.keys = p.identifier_list()
        td.keys_given = True
    if p.accept_kw("COMMENT"):
        td.comment = p.string()
    if p.peek().kw("PARTITION") and p.peek(1).kw("BY"):
        start = p.next()
        p.next()
        parse_partition(p, td, start)
    if p.peek().kw("DISTRIBUTED"):
        p.next()
        p.expect_kw("BY")
        kind = p.expect_kw("HASH", "RANDOM").val
        dist = {"kind": kind, "cols": [], "buckets": None}
        if kind == "HASH":
            dist["cols"] = p.identifier_list()
        if p.accept_kw("BUCKETS"):
            if p.peek().kw("AUTO"):
                p.next()
            else:
                dist["buckets"] = p.integer()
        td.distribution = dist
    if p.peek().kw("ORDER") and p.peek(1).kw("BY"):
        p.next(), p.next()
        p.expect_op("(")
        while True:
            td.order_by.append(p.identifier())
            p.accept_kw("ASC", "DESC")
            if not p.accept_op(","):
                break
        p.expect_op(")")
    if not ctas and p.peek().kw("ROLLUP"):
        p.next()
        p.skip_balanced()
    if p.accept_kw("PROPERTIES"):
        td.properties = p.property_list()
    if not ctas and p.peek().kw("BROKER"):
        p.next()
        p.expect_kw("PROPERTIES")
        p.property_list()
    if ctas:
        return
    p.accept_op(";")
    if not p.at_end():
        expected = ["<EOF>", "';'"]
        raise syntax_error(p.peek(), expected)


def parse_partition(p, td, start):
    """PARTITION BY RANGE|LIST (cols) (...), or an expression list
    (date_trunc('day', dt), col, ...); kept as text."""
    if p.peek().kw("RANGE", "LIST"):
        p.next()
        cols = p.identifier_list()
        for c in cols:
            if td.column(c) is None:
                raise analysis_error("Partition column[%s] does not exist in column list" % c)
        if p.peek().op("("):
            p.skip_balanced()
    else:
        depth = 0
        while True:
            t = p.peek()
            if t.kind == "eof" or (depth == 0 and (t.kw("DISTRIBUTED", "PROPERTIES", "ROLLUP", "BROKER")
                                                  or (t.kw("ORDER") and p.peek(1).kw("BY")))):
                break
            if t.op("("):
                depth += 1
            elif t.op(")"):
                depth -= 1
            p.next()
    td.partition = p.text_from(start)


def parse_ctas(p, td):
    names = []
    if p.peek().op("("):
        names = p.identifier_list()
    parse_table_tail(p, td, ctas=True)
    p.expect_kw("AS")
    sel = p.peek()
    if not (sel.kw("SELECT", "WITH") or sel.op("(")):
        raise syntax_error(sel, ["'SELECT'", "'WITH'", "'('"])
    body = p.sql[sel.pos:].strip().rstrip(";").strip()
    return ("ctas", td, body, names)


def analyze_table(td):
    """The checks of CreateTableAnalyzer and KeysDesc, and the defaults
    they fill in."""
    cols = td.columns
    if not cols:
        raise plain_error(1113, "42000", "A table must have at least 1 column")
    seen = set()
    for c in cols:
        if c.name.lower() in seen:
            raise plain_error(1060, "42S21", "Getting analyzing error. Detail message: Duplicate column name '%s'."
                              % c.name)
        seen.add(c.name.lower())
        if c.type.base in ("BITMAP", "HLL", "PERCENTILE", "VARIANT"):
            raise analysis_error("emulator: type %s is not supported" % c.type.base)
        if c.type.base == "TIME":
            raise analysis_error("Type TIME is not supported in the column definition of a table")
        if c.agg in ("HLL_UNION", "BITMAP_UNION", "PERCENTILE_UNION"):
            raise analysis_error("emulator: aggregate type %s is not supported" % c.agg)
    autos = [c for c in cols if c.auto_increment]
    for c in autos:
        if c.type.base != "BIGINT":
            raise analysis_error("The AUTO_INCREMENT column must be BIGINT")
    if len(autos) > 1:
        raise analysis_error("More than one AUTO_INCREMENT column defined in CREATE TABLE Statement")
    for name in td.order_by:
        if td.column(name) is None:
            raise analysis_error("Unknown column '%s' does not exist" % name)
    if td.model is None:
        if any(c.agg for c in cols):
            td.model = "AGGREGATE"
            td.keys = [c.name for c in cols if not c.agg]
        else:
            td.model = "DUPLICATE"
            keys, size = [], 0
            for c in cols:
                size += c.type.index_size()
                if len(keys) >= 3 or size > 36:
                    if not keys and c.type.is_string:
                        keys.append(c.name)
                    break
                if c.type.base in ("FLOAT", "DOUBLE", "JSON") or c.type.is_complex:
                    break
                keys.append(c.name)
                if c.type.base in ("VARCHAR", "STRING"):
                    break
            if not keys:
                raise analysis_error("Data type of first column cannot be %s" % cols[0].type.show().upper())
            td.keys = keys
    # KeysDesc.analyze
    if len(td.keys) > len(cols):
        raise analysis_error("The number of key columns should be less than the number of columns.")
    kind = MODELS[td.model]
    for i, k in enumerate(td.keys):
        c = cols[i]
        if c.name.lower() != k.lower():
            if td.column(k) is None:
                raise analysis_error("Key column(%s) doesn't exist." % k)
            raise analysis_error("Key columns should be a ordered prefix of the schema.")
        if c.agg:
            raise analysis_error("Key column[%s] should not specify aggregate type." % c.name)
        c.key = True
        if td.model == "PRIMARY":
            if c.nullable:
                raise analysis_error("primary key column[%s] cannot be nullable" % c.name)
            c.nullable = False
            if not c.type.key_type_ok():
                raise analysis_error("primary key column[%s] type not supported: %s" % (c.name, c.type.show().upper()))
    for c in cols[len(td.keys):]:
        c.key = False
        if td.model == "AGGREGATE":
            if not c.agg:
                raise analysis_error("%s table should specify aggregate type for non-key column[%s]" % (kind, c.name))
            if c.agg == "SUM" and not c.type.is_numeric:
                raise analysis_error("Invalid aggregate function 'SUM' for '%s'" % c.name)
            if c.agg in ("MAX", "MIN") and (c.type.is_complex or c.type.base == "JSON"):
                raise analysis_error("Invalid aggregate function '%s' for '%s'" % (c.agg, c.name))
        elif c.agg and c.agg != "REPLACE":
            raise analysis_error("%s table should not specify aggregate type for non-key column[%s]" % (kind, c.name))
    for name in td.order_by:
        c = td.column(name)
        if not c.type.key_type_ok():
            raise analysis_error("sort key column[%s] type not supported: %s" % (c.name, c.type.show().upper()))
    for c in cols:
        if c.nullable is None:
            c.nullable = not c.auto_increment
    has_replace = any(c.agg in ("REPLACE", "REPLACE_IF_NOT_NULL") for c in cols)
    dist = td.distribution
    if dist is None:
        if td.model != "DUPLICATE":
            raise analysis_error("Currently only support default distribution in DUP_KEYS")
        td.distribution = {"kind": "RANDOM", "cols": [], "buckets": None}
    elif dist["kind"] == "RANDOM":
        if td.model != "DUPLICATE" and not (td.model == "AGGREGATE" and not has_replace):
            raise analysis_error("%s KEY%s must use hash distribution" % (td.model, " with replace " if has_replace else ""))
    else:
        for name in dist["cols"]:
            if td.column(name) is None:
                raise analysis_error("Distribution column(%s) doesn't exist." % name)
    for name in (dist or {}).get("cols", []):
        c = td.column(name)
        if c.type.base in ("FLOAT", "DOUBLE", "JSON") or c.type.is_complex:
            raise analysis_error("Distribution column(%s) type %s is not supported" % (name, c.type.show()))


# ---------------------------------------------------------------------------
# MariaDB DDL

def mariadb_default(c):
    d = c.default
    if d is None:
        return ""
    if d[0] == "null":
        return " DEFAULT NULL"
    if d[0] == "now":
        if c.type.base == "DATETIME":
            return " DEFAULT CURRENT_TIMESTAMP(6)"
        return " DEFAULT (CURRENT_TIMESTAMP)"
    if d[0] == "expr":
        text = d[1].strip()
        if c.type.is_complex or c.type.base == "JSON":
            return " DEFAULT %s" % quote_str(text)
        inner = text[1:-1].strip() if text.startswith("(") else text
        if re.fullmatch(r"uuid\s*\(\s*\)", inner, re.I):
            return " DEFAULT (UUID())"
        if re.fullmatch(r"uuid_numeric\s*\(\s*\)", inner, re.I):
            return " DEFAULT (UUID_SHORT())"
        return " DEFAULT (%s)" % inner
    v = d[1]
    if c.type.base == "BOOLEAN" and v.lower() in ("true", "false"):
        return " DEFAULT %d" % (v.lower() == "true")
    return " DEFAULT %s" % quote_str(v)


def mariadb_check(c):
    """The CHECK that keeps a MariaDB column to what the StarRocks column
    holds (a column constraint goes with the column when it is dropped):
    StarRocks counts CHAR / VARCHAR lengths in bytes (CREATE_TABLE.md,
    col_type), and an ARRAY holds an array, kept as the JSON text StarRocks
    prints it in ([1,2,3]; Array.md), so that text that is no array (a
    PostgreSQL {1,2}) cannot stand in for one."""
    _, maxbytes, _ = c.type.mariadb()
    if c.type.base == "ARRAY":
        return " CHECK (JSON_VALID(%s) AND JSON_TYPE(%s) = 'ARRAY')" % (quote_ident(c.name), quote_ident(c.name))
    if maxbytes is None:
        return ""
    return " CHECK (%s(%s) <= %d)" % ("LENGTH" if c.type.base == "VARBINARY" else "OCTET_LENGTH",
                                     quote_ident(c.name), maxbytes)


def mariadb_ddl(td, db):
    """CREATE TABLE for MariaDB holding td's rows, with the constraints
    that give the table model its behaviour."""
    lines = []
    key_bytes = 0
    key_plain = True
    for c in td.columns:
        mtype, _, kbytes = c.type.mariadb()
        if c.generated:
            lines.append("  %s %s AS (%s) PERSISTENT" % (quote_ident(c.name), mtype, c.generated))
            continue
        s = "  %s %s %s" % (quote_ident(c.name), mtype, "NULL" if c.nullable else "NOT NULL")
        s += mariadb_default(c)
        if c.auto_increment:
            s += " AUTO_INCREMENT"
        if c.comment:
            s += " COMMENT %s" % quote_str(c.comment[:1024])
        s += mariadb_check(c)
        lines.append(s)
        if c.key:
            if kbytes is None:
                key_plain = False
            else:
                key_bytes += kbytes
            if c.nullable and td.model != "PRIMARY":
                key_plain = False
    keycols = ", ".join(quote_ident(k) for k in td.keys)
    if td.model in ("PRIMARY", "UNIQUE", "AGGREGATE"):
        if key_plain and key_bytes <= 3072:
            lines.append("  PRIMARY KEY (%s)" % keycols)
        else:
            # NULLs in a key, or a key too long for a plain index: a
            # UNIQUE key (MariaDB makes it a hash index when it is long).
            lines.append("  UNIQUE KEY `_sr_key` (%s)" % keycols)
    autos = [c for c in td.columns if c.auto_increment]
    if autos and not (td.model != "DUPLICATE" and td.keys and td.keys[0].lower() == autos[0].name.lower()):
        lines.append("  KEY `_sr_auto` (%s)" % quote_ident(autos[0].name))
    body = ",\n".join(lines)
    comment = td.comment if td.comment is not None else ""
    return ("CREATE TABLE %s%s.%s (\n%s\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin%s"
            % ("IF NOT EXISTS " if td.if_not_exists else "", quote_ident(db), quote_ident(td.name), body,
               " COMMENT=%s" % quote_str(comment[:2048]) if comment else ""))


# ---------------------------------------------------------------------------
# SHOW CREATE TABLE / DESC

DEFAULT_PROPERTIES = (("replication_num", "1"), ("in_memory", "false"), ("enable_persistent_index", "true"),
                      ("replicated_storage", "true"), ("compression", "LZ4"))


def default_display(c):
    d = c.default
    if d is None:
        return None
    if d[0] == "null":
        return "NULL"
    if d[0] == "now":
        return "CURRENT_TIMESTAMP"
    return d[1]


def show_create(td):
    """The shape of docs SHOW_CREATE_TABLE.md."""
    out = ["CREATE TABLE %s (" % quote_ident(td.name)]
    parts = []
    for c in td.columns:
        s = "  %s %s" % (quote_ident(c.name), c.type.show())
        if c.agg and td.model == "AGGREGATE":
            s += " " + c.agg
        s += " NULL" if c.nullable else " NOT NULL"
        if c.auto_increment:
            s += " AUTO_INCREMENT"
        if c.generated:
            s += " AS " + c.generated
        if c.default is not None:
            d = c.default
            s += " DEFAULT " + ("CURRENT_TIMESTAMP" if d[0] == "now" else "NULL" if d[0] == "null"
                                else d[1] if d[0] == "expr" else dq(d[1]))
        s += " COMMENT " + dq(c.comment or "")
        parts.append(s)
    for ix in td.indexes:
        parts.append("  " + ix)
    out.append(",\n".join(parts))
    out.append(") ENGINE=OLAP ")
    out.append("%s KEY(%s)" % (td.model, ", ".join(quote_ident(k) for k in td.keys)))
    out.append("COMMENT %s" % dq(td.comment if td.comment is not None else "OLAP"))
    if td.partition:
        out.append(td.partition)
    dist = td.distribution or {"kind": "RANDOM", "cols": [], "buckets": None}
    if dist["kind"] == "HASH":
        s = "DISTRIBUTED BY HASH(%s)" % ", ".join(quote_ident(k) for k in dist["cols"])
    else:
        s = "DISTRIBUTED BY RANDOM"
    if dist.get("buckets"):
        s += " BUCKETS %d" % dist["buckets"]
    out.append(s + " ")
    if td.order_by:
        out.append("ORDER BY(%s)" % ", ".join(quote_ident(k) for k in td.order_by))
    props = list(td.properties)
    have = {k for k, _ in props}
    props += [(k, v) for k, v in DEFAULT_PROPERTIES if k not in have]
    out.append("PROPERTIES (")
    out.append(",\n".join("%s = %s" % (dq(k), dq(v)) for k, v in props))
    out.append(");")
    return "\n".join(out)


def desc_rows(td):
    """DESC t: Field, Type, Null, Key, Default, Extra (docs DESCRIBE.md)."""
    rows = []
    for c in td.columns:
        extra = c.agg if (c.agg and td.model == "AGGREGATE") else ""
        if c.auto_increment:
            extra = "AUTO_INCREMENT"
        rows.append([c.name, c.type.desc(), "YES" if c.nullable else "NO", "true" if c.key else "false",
                     default_display(c), extra])
    return ["Field", "Type", "Null", "Key", "Default", "Extra"], rows


_MARIADB_TO_SR = [
    (r"tinyint\(1\)", lambda m: SrType("BOOLEAN")),
    (r"(tinyint|smallint|mediumint|int|bigint)(\(\d+\))?( unsigned)?",
     lambda m: SrType("INT" if m.group(1) == "mediumint" else
                      ("LARGEINT" if m.group(1) == "bigint" and m.group(3) else m.group(1).upper()))),
    (r"(float|double)(\(.*\))?( unsigned)?", lambda m: SrType(m.group(1).upper())),
    (r"decimal\((\d+),(\d+)\)( unsigned)?",
     lambda m: SrType("DECIMAL", precision=min(int(m.group(1)), 38), scale=min(int(m.group(2)), 38))),
    (r"date", lambda m: SrType("DATE")),
    (r"(datetime|timestamp)(\(\d\))?", lambda m: SrType("DATETIME")),
    (r"char\((\d+)\)", lambda m: SrType("CHAR", int(m.group(1)))),
    (r"varchar\((\d+)\)", lambda m: SrType("VARCHAR", int(m.group(1)))),
    (r"(var)?binary\((\d+)\)|(tiny|medium|long)?blob", lambda m: SrType("VARBINARY")),
    (r"(tiny|medium|long)?text", lambda m: SrType("STRING")),
]


def sr_type_from_mariadb(coltype):
    ct = coltype.lower()
    for rx, f in _MARIADB_TO_SR:
        m = re.fullmatch(rx, ct)
        if m:
            return f(m)
    return SrType("STRING")


def tabledef_from_mariadb(db, name, rows, pk):
    """A TableDef for a table the emulator did not create (plain MariaDB
    DDL): a table with a primary key is a Primary Key table (its key
    columns first), any other a Duplicate Key table, as the load side
    treats them."""
    td = TableDef()
    td.db, td.name = db, name
    for r in rows:
        c = ColumnDef(r["COLUMN_NAME"])
        c.type = sr_type_from_mariadb(r["COLUMN_TYPE"])
        c.nullable = r["IS_NULLABLE"] == "YES"
        dflt = r["COLUMN_DEFAULT"]
        if dflt is not None and dflt != "NULL":
            c.default = ("str", dflt[1:-1] if dflt.startswith("'") else dflt)
        c.comment = r.get("COLUMN_COMMENT") or ""
        td.columns.append(c)
    if pk:
        low = [k.lower() for k in pk]
        td.columns = [c for k in low for c in td.columns if c.name.lower() == k] + \
                     [c for c in td.columns if c.name.lower() not in low]
        td.model, td.keys = "PRIMARY", list(pk)
        td.distribution = {"kind": "HASH", "cols": list(pk), "buckets": None}
    else:
        td.model, td.keys = "DUPLICATE", [td.columns[0].name] if td.columns else []
        td.distribution = {"kind": "RANDOM", "cols": [], "buckets": None}
    for c in td.columns:
        c.key = c.name in td.keys
    return td


# ---------------------------------------------------------------------------
# metadata in MariaDB

class MetaStore:
    """The table models, in MariaDB (database _sr_emulator) so that the
    MySQL front and the HTTP load side, and any emulator started later on
    the same MariaDB, read the same thing.  A row is valid only while the
    MariaDB table it describes still has the CREATE_TIME and columns it
    had when the row was written: a table dropped and re-created behind
    the emulator's back is no longer taken for the StarRocks one."""

    def __init__(self, host, port, user, password):
        self.kw = dict(host=host, port=port, user=user, password=password, charset="utf8mb4",
                       autocommit=True, connect_timeout=10)
        self.lock = threading.Lock()
        self.idle = []

    def _conn(self):
        with self.lock:
            c = self.idle.pop() if self.idle else None
        if c is not None:
            try:
                c.ping(reconnect=False)
                return c
            except Exception:
                try:
                    c.close()
                except Exception:
                    pass
        return pymysql.connect(**self.kw)

    def _put(self, c):
        with self.lock:
            if len(self.idle) < 4:
                self.idle.append(c)
                return
        try:
            c.close()
        except Exception:
            pass

    def run(self, fn):
        c = self._conn()
        try:
            r = fn(c.cursor(pymysql.cursors.DictCursor))
        except BaseException:
            try:
                c.close()
            except Exception:
                pass
            raise
        self._put(c)
        return r

    def close_all(self):
        with self.lock:
            conns, self.idle = self.idle, []
        for c in conns:
            try:
                c.close()
            except Exception:
                pass

    def ensure(self):
        def f(cur):
            cur.execute("CREATE DATABASE IF NOT EXISTS %s CHARACTER SET utf8mb4" % quote_ident(META_DB))
            cur.execute("CREATE TABLE IF NOT EXISTS %s.`tables` (db VARCHAR(64) NOT NULL, tbl VARCHAR(64) NOT NULL,"
                        " create_time DATETIME NULL, colnames TEXT NOT NULL, meta LONGTEXT NOT NULL,"
                        " PRIMARY KEY (db, tbl)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
                        % quote_ident(META_DB))
        self.run(f)

    @staticmethod
    def _live(cur, db, tbl):
        cur.execute("SELECT CREATE_TIME FROM information_schema.TABLES WHERE TABLE_SCHEMA=%s AND TABLE_NAME=%s",
                    (db, tbl))
        r = cur.fetchall()
        if not r:
            return None
        cur.execute("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=%s AND TABLE_NAME=%s "
                    "ORDER BY ORDINAL_POSITION", (db, tbl))
        return r[0]["CREATE_TIME"], ",".join(x["COLUMN_NAME"] for x in cur.fetchall())

    def put(self, db, td):
        def f(cur):
            live = self._live(cur, db, td.name)
            if live is None:
                return
            cur.execute("REPLACE INTO %s.`tables` (db, tbl, create_time, colnames, meta) VALUES (%%s,%%s,%%s,%%s,%%s)"
                        % quote_ident(META_DB), (db, td.name, live[0], live[1], json.dumps(td.to_json())))
        self.run(f)

    def get(self, db, tbl):
        """TableDef or None."""
        def f(cur):
            cur.execute("SELECT create_time, colnames, meta FROM %s.`tables` WHERE db=%%s AND tbl=%%s"
                        % quote_ident(META_DB), (db, tbl))
            r = cur.fetchall()
            if not r:
                return None
            live = self._live(cur, db, tbl)
            if live is None or live[0] != r[0]["create_time"] or live[1] != r[0]["colnames"]:
                return None
            return TableDef.from_json(json.loads(r[0]["meta"]), db, tbl)
        return self.run(f)

    def all_valid(self):
        """{(db, tbl): TableDef} of every valid row."""
        def f(cur):
            cur.execute("SELECT m.db, m.tbl, m.create_time, m.colnames, m.meta, t.CREATE_TIME AS live FROM %s.`tables` m"
                        " JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = m.db AND t.TABLE_NAME = m.tbl"
                        % quote_ident(META_DB))
            out = {}
            for r in cur.fetchall():
                if r["live"] != r["create_time"]:
                    continue
                td = TableDef.from_json(json.loads(r["meta"]), r["db"], r["tbl"])
                if ",".join(c.name for c in td.columns) != r["colnames"]:
                    continue
                out[(r["db"], r["tbl"])] = td
            return out
        return self.run(f)

    def delete(self, db, tbl=None):
        def f(cur):
            if tbl is None:
                cur.execute("DELETE FROM %s.`tables` WHERE db=%%s" % quote_ident(META_DB), (db,))
            else:
                cur.execute("DELETE FROM %s.`tables` WHERE db=%%s AND tbl=%%s" % quote_ident(META_DB), (db, tbl))
        self.run(f)

    def rename(self, db, tbl, new_db, new_tbl):
        td = self.get(db, tbl)
        self.delete(db, tbl)
        if td is not None:
            td.name = new_tbl
            self.put(new_db, td)


# ---------------------------------------------------------------------------
# session variables

# SessionVariable.java (fe/fe-core/src/main/java/com/starrocks/qe/): the
# names StarRocks knows.  Not every one; the common ones and those a client
# library or a connector sets.
SR_VARIABLES = frozenset("""
activate_all_roles_on_login auto_increment_increment autocommit batch_size big_query_log_cpu_second_threshold
big_query_log_scan_bytes_threshold big_query_log_scan_rows_threshold broadcast_row_limit catalog
cbo_cte_reuse cbo_enable_low_cardinality_optimize cbo_max_reorder_node cbo_max_reorder_node_use_dp
cbo_push_down_aggregate_mode character_set_client character_set_connection character_set_database
character_set_results character_set_server chunk_size collation_connection collation_database
collation_server connector_io_tasks_per_scan_operator count_distinct_column_buckets default_rowset_type
default_storage_engine default_table_compression disable_colocate_join disable_join_reorder
disable_streaming_preaggregations div_precision_increment enable_adaptive_sink_dop enable_cbo_table_prune
enable_connector_adaptive_io_tasks enable_global_runtime_filter enable_group_by_compressed_key
enable_insert_strict enable_load_profile enable_materialized_view_rewrite enable_pipeline_engine
enable_profile enable_query_cache enable_query_dump enable_rule_based_materialized_view_rewrite
enable_scan_datacache enable_populate_datacache enable_short_key_filter enable_spill enable_strict_order_by
enable_sync_materialized_view_rewrite enable_tablet_internal_parallel event_scheduler exec_mem_limit
forward_to_leader forward_to_master foreign_key_checks group_concat_max_len hash_join_push_down_right_table
init_connect innodb_read_only insert_timeout interactive_timeout language license load_mem_limit
lower_case_table_names max_allowed_packet max_execution_time max_parallel_scan_instance_num
max_pushdown_conditions_per_column max_scan_key_num nested_mv_rewrite_max_level net_buffer_length
net_read_timeout net_write_timeout new_planner_agg_stage new_planner_optimize_timeout
parallel_exchange_instance_num parallel_fragment_exec_instance_num partial_update_mode performance_schema
pipeline_dop pipeline_profile_level pipeline_sink_dop prefer_compute_node profile_timeout profiling
query_cache_size query_cache_type query_delivery_timeout query_mem_limit query_queue_pending_timeout_second
query_timeout resource_group runtime_filter_scan_wait_time runtime_join_filter_push_down_limit
runtime_profile_report_interval scan_or_to_union_limit spill_mode sql_auto_is_null sql_dialect sql_mode
sql_quote_show_create sql_safe_updates sql_select_limit storage_engine streaming_preaggregation_mode
system_time_zone time_zone transaction_isolation transaction_read_only transmission_compression_type
tx_isolation tx_read_only tx_visible_wait_timeout use_compute_nodes use_page_cache version version_comment
wait_timeout warehouse enable_write_hive_external_table enable_datacache_async_populate_mode
""".split())

# StarRocks variables that MariaDB has too, with the same meaning: a SET
# of one of these is also applied to the MariaDB session.
SHARED_VARIABLES = {
    "time_zone": "time_zone", "sql_select_limit": "sql_select_limit",
    "wait_timeout": "wait_timeout", "interactive_timeout": "interactive_timeout",
    "net_read_timeout": "net_read_timeout", "net_write_timeout": "net_write_timeout",
    "character_set_client": "character_set_client", "character_set_connection": "character_set_connection",
    "character_set_results": "character_set_results", "collation_connection": "collation_connection",
    "tx_isolation": "transaction_isolation", "transaction_isolation": "transaction_isolation",
    "tx_read_only": "transaction_read_only", "transaction_read_only": "transaction_read_only",
    "div_precision_increment": "div_precision_increment", "group_concat_max_len": "group_concat_max_len",
    "foreign_key_checks": "foreign_key_checks", "sql_safe_updates": "sql_safe_updates",
    "sql_auto_is_null": "sql_auto_is_null",
}

# Their defaults (SessionVariable.java), for SELECT @@name on a variable
# MariaDB does not have.
SR_DEFAULTS = {
    "query_timeout": 300, "insert_timeout": 14400, "query_mem_limit": 0, "exec_mem_limit": 2147483648,
    "load_mem_limit": 0, "pipeline_dop": 0, "parallel_fragment_exec_instance_num": 1, "enable_spill": "false",
    "enable_profile": "false", "enable_insert_strict": "true", "resource_group": "", "max_execution_time": 3000000,
    "query_delivery_timeout": 300, "sql_dialect": "StarRocks", "forward_to_leader": "false",
    "forward_to_master": "false", "new_planner_optimize_timeout": 3000, "pipeline_profile_level": 1,
    "enable_pipeline_engine": "true", "enable_query_cache": "false", "streaming_preaggregation_mode": "auto",
    "tx_visible_wait_timeout": 10, "batch_size": 4096, "chunk_size": 4096, "partial_update_mode": "auto",
}

INT_VARIABLES = frozenset("""query_timeout insert_timeout query_mem_limit exec_mem_limit load_mem_limit pipeline_dop
parallel_fragment_exec_instance_num max_execution_time query_delivery_timeout new_planner_optimize_timeout
sql_select_limit wait_timeout interactive_timeout net_read_timeout net_write_timeout batch_size chunk_size
tx_visible_wait_timeout group_concat_max_len div_precision_increment""".split())


def unknown_variable(name):
    """ERR_UNKNOWN_SYSTEM_VARIABLE (ErrorCode.java: 1193, HY000) with
    VariableMgr.findSimilarVarNames' three nearest names."""
    near = difflib.get_close_matches(name.lower(), sorted(SR_VARIABLES), n=3, cutoff=0.0)
    return plain_error(1193, "HY000", "Unknown system variable '%s', the most similar variables are {%s}"
                       % (name, ", ".join("'%s'" % v for v in near)))


# ---------------------------------------------------------------------------
# load semantics per model

def upsert_verb(model):
    return "REPLACE" if model in ("PRIMARY", "UNIQUE") else "INSERT"


def agg_update(col, agg, new="VALUES(%s)"):
    """MariaDB ON DUPLICATE KEY UPDATE for one value column of an Aggregate
    table: NULLs are skipped by SUM, MAX and MIN; REPLACE_IF_NOT_NULL keeps
    the stored value when the new one is NULL (CREATE_TABLE.md, agg_type)."""
    q = quote_ident(col)
    n = new % q
    if agg == "SUM":
        e = "CASE WHEN %s IS NULL THEN %s WHEN %s IS NULL THEN %s ELSE %s + %s END" % (n, q, q, n, q, n)
    elif agg in ("MAX", "MIN"):
        fn = "GREATEST" if agg == "MAX" else "LEAST"
        e = "CASE WHEN %s IS NULL THEN %s WHEN %s IS NULL THEN %s ELSE %s(%s, %s) END" % (n, q, q, n, fn, q, n)
    elif agg == "REPLACE_IF_NOT_NULL":
        e = "COALESCE(%s, %s)" % (n, q)
    else:
        e = n
    return "%s = %s" % (q, e)


def agg_suffix(td):
    sets = [agg_update(c.name, c.agg) for c in td.value_columns if not c.generated]
    if not sets:
        k = quote_ident(td.keys[0])
        sets = ["%s = %s" % (k, k)]
    return " ON DUPLICATE KEY UPDATE " + ", ".join(sets)


def zero_literal(data_type):
    """What a partial update puts in a NOT NULL column without a default
    of a new row (Load_to_Primary_Key_tables.md: such rows get 0 in the
    example; strings get '')."""
    dt = (data_type or "").lower()
    if dt in ("tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float", "double", "bit", "year"):
        return "0"
    if dt == "date":
        return "'0000-01-01'"
    if dt in ("datetime", "timestamp"):
        return "'0000-01-01 00:00:00'"
    if dt == "time":
        return "'00:00:00'"
    return "''"
