#!/usr/bin/env python3
"""The layering of src/, read from its #include lines.

    python3 test/layering.py [SRC]

Fails (exit 1, each finding on its own line) on:
  - a cycle between files: a module is a .c and its .h (folder/name); one
    module depends on another when one of its files includes the other's
    header, and no chain of such dependencies may lead back to where it
    started;
  - a cycle between folders, or a folder that includes one it must not: the
    SQL functions (api) reach the store kinds only through the registry,
    the kinds reach only the shared core (StarRocks also the MySQL protocol
    it wraps), and the core reaches nothing above it;
  - a store kind named outside the registry and its own folder: a kind's
    routine, a DS_STORE_* value, or a kind's type as a string in code.
"""
import os
import re
import sys

src = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                      os.path.join(os.path.dirname(__file__), '..', 'src'))

KINDS = ['local', 'postgres', 'mysql', 'starrocks']
# Which folders a folder may include ('' is src/ itself: the module entry).
ALLOWED = {
    '': {'core', 'registry'},
    'api': {'core', 'registry'},
    'registry': {'core'} | set(KINDS),
    'starrocks': {'core', 'mysql'},
    'mysql': {'core'},
    'postgres': {'core'},
    'local': {'core'},
    'core': set(),
}
# The kind each routine symbol and type string belongs to (its folder).
ROUTINES = {'ds_local_routine': 'local', 'ds_pq_routine': 'postgres',
            'ds_mysql_routine': 'mysql', 'ds_sr_routine': 'starrocks'}
TYPES = {'postgres': {'local', 'postgres'}, 'mysql': {'mysql'},
         'starrocks': {'starrocks'}}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'), text, flags=re.S)
    return re.sub(r'//[^\n]*', '', text)


files = {}
for root, _, names in os.walk(src):
    for name in names:
        if name.endswith(('.c', '.h')):
            path = os.path.join(root, name)
            files[os.path.relpath(path, src)] = open(path, encoding='utf-8').read()

problems = []


def folder_of(rel):
    return os.path.dirname(rel)


def module_of(rel):
    return os.path.splitext(rel)[0]


# Includes of the project's own headers, resolved as the build does (-Isrc).
deps = {}
for rel, text in files.items():
    mod = module_of(rel)
    for inc in INCLUDE.findall(text):
        if inc in files:
            target = inc
        elif os.path.join(folder_of(rel), inc) in files:
            target = os.path.join(folder_of(rel), inc)
        else:
            continue            # a system or PostgreSQL header
        if module_of(target) != mod:
            deps.setdefault(mod, set()).add(module_of(target))
        f, t = folder_of(rel), folder_of(target)
        if f != t and t not in ALLOWED.get(f, set()):
            problems.append('folder %s must not include %s: %s includes "%s"'
                            % (f or 'src', t or 'src', rel, inc))


def cycles(graph):
    """Strongly connected components with more than one member (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


for comp in cycles(deps):
    problems.append('cycle between files: ' + ' <-> '.join(comp))

folder_deps = {}
for mod, targets in deps.items():
    for t in targets:
        if folder_of(mod) != folder_of(t):
            folder_deps.setdefault(folder_of(mod), set()).add(folder_of(t))
for comp in cycles(folder_deps):
    problems.append('cycle between folders: ' + ' <-> '.join(c or 'src' for c in comp))

for rel, text in sorted(files.items()):
    folder = folder_of(rel)
    code = strip_comments(text)
    if folder == 'registry':
        continue
    for m in re.finditer(r'\bDS_STORE_[A-Z_]+\b', code):
        problems.append('%s names the store-kind value %s' % (rel, m.group(0)))
    for sym, kind in ROUTINES.items():
        if folder != kind and re.search(r'\b%s\b' % sym, code):
            problems.append('%s names %s, the %s kind\'s routine' % (rel, sym, kind))
    for typ, owners in TYPES.items():
        if folder not in owners and re.search(r'"%s"' % typ, code):
            problems.append('%s tests for the store type "%s"' % (rel, typ))

for p in problems:
    print(p)
print('layering: %d files, %d modules, %d findings' % (len(files), len({module_of(f) for f in files}),
                                                      len(problems)))
sys.exit(1 if problems else 0)
