#!/usr/bin/env bash
# ctest `package` (label package): installs the build with `cmake --install` into a temporary
# prefix, builds the Debian package with CPack, extracts it with `dpkg-deb -x`, and runs the
# installed bgplan from a temporary directory outside the repository: --version (the project
# version), check on an installed example, a live command (the module is found), demo (when a
# PostgreSQL server is installed), the man page through man, and the completions (every command
# of `bgplan --help`, completed by bash and fish, named by zsh's).
#   check_package.sh BUILD_DIR VERSION
set -euo pipefail
build="$(cd "$1" && pwd)"
version="$2"

work="$(mktemp -d /tmp/bgplan-package-test-XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work"  # nothing below may depend on the repository being the working directory
unset BGPLAN_EXAMPLES_DIR BGPLAN_LIVE_MODULE BGPLAN_URL

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
step() { echo "== $*"; }

# 1. cmake --install into a prefix.
step "cmake --install"
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log"
for f in bin/bgplan lib/bgplan/libbgplan_live.so share/man/man1/bgplan.1 \
  share/bash-completion/completions/bgplan share/zsh/vendor-completions/_bgplan \
  share/fish/vendor_completions.d/bgplan.fish share/bgplan/examples/demo/demo.bgplan \
  share/doc/bgplan/README.md share/doc/bgplan/docs/cli.md share/doc/bgplan/docs/language.md \
  share/doc/bgplan/examples/analytics/analytics.bgplan; do
  [[ -e "$work/prefix/$f" ]] || fail "cmake --install did not install $f"
done

# 2. The Debian package.
step "cpack -G DEB"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/cpack" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack failed"; }
arch="$(dpkg --print-architecture)"
deb="$work/cpack/bgplan_${version}_${arch}.deb"
[[ -f "$deb" ]] || fail "no $deb (found: $(ls "$work/cpack"))"
[[ "$(dpkg-deb --field "$deb" Package)" == bgplan ]] || fail "Package field"
[[ "$(dpkg-deb --field "$deb" Version)" == "$version" ]] || fail "Version field"
depends="$(dpkg-deb --field "$deb" Depends)"
for lib in libpq5 libpqxx libssl3 libstdc++6; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done
[[ "$(dpkg-deb --field "$deb" Recommends)" == *postgresql* ]] || fail "Recommends lacks postgresql"
for field in Maintainer Homepage Description; do
  [[ -n "$(dpkg-deb --field "$deb" "$field")" ]] || fail "no $field field"
done
dpkg-deb -x "$deb" "$work/root"
bgplan="$work/root/usr/bin/bgplan"

# 3. The installed binary, from outside the repository.
step "installed bgplan --version, check, a live command"
[[ "$("$bgplan" --version)" == "bgplan $version" ]] || fail "--version: $("$bgplan" --version)"
examples="$work/root/usr/share/bgplan/examples"
for example in "$examples"/*/*.bgplan; do
  "$bgplan" --no-color check "$example" >/dev/null 2>"$work/check.err" ||
    { cat "$work/check.err"; fail "check $example"; }
done
"$bgplan" --no-color compile "$examples/analytics/analytics.bgplan" --phase promote \
  | grep -q 'SWAP WITH' || fail "compile of an installed example"
# A live command loads lib/bgplan/libbgplan_live.so from the extracted tree: a refused
# connection is exit 7 (a missing module would be 70).
set +e
"$bgplan" --no-color status "$examples/postgres/postgres.bgplan" \
  --url "postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=5" >"$work/live.out" 2>&1
code=$?
set -e
[[ $code -eq 7 ]] || { cat "$work/live.out"; fail "status without a server: exit $code, not 7"; }

# 4. demo, when a PostgreSQL server can be started (as the tests of the demo do).
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null &&
  { [[ $(id -u) -ne 0 ]] || id postgres >/dev/null 2>&1; }; then
  step "installed bgplan demo"
  "$bgplan" --no-color demo >"$work/demo.out" 2>&1 || { cat "$work/demo.out"; fail "demo"; }
  grep -q "cycle of $examples/demo/demo.bgplan" "$work/demo.out" ||
    { head -3 "$work/demo.out"; fail "demo did not use the installed examples"; }
  grep -q "^Done: init -> deploy -> await -> promote" "$work/demo.out" || fail "demo did not finish"
else
  echo "SKIP demo: no PostgreSQL server installed (apt-get install postgresql)"
fi

# 5. The man page renders, without warnings, and documents every command.
step "man page"
commands=()
while read -r name _; do commands+=("$name"); done < <(
  "$bgplan" --help | sed -n '/^Subcommands:/,/^$/p' | sed '1d;/^$/d')
((${#commands[@]} >= 10)) || fail "could not read the commands from bgplan --help"
nested=()  # "import dbt"
for c in "${commands[@]}"; do
  while read -r name _; do nested+=("$c $name"); done < <(
    "$bgplan" "$c" --help | sed -n '/^Subcommands:/,/^$/p' | sed '1d;/^$/d')
done
man_page="$work/root/usr/share/man/man1/bgplan.1"
MANWIDTH=100 man --warnings -P cat -l "$man_page" >"$work/man.out" 2>"$work/man.err"
[[ ! -s "$work/man.err" ]] || { cat "$work/man.err"; fail "man reports problems"; }
grep -q "bgplan $version" "$work/man.out" || fail "man page does not name version $version"
for c in "${commands[@]}" "${nested[@]}"; do
  grep -q "^   bgplan $c" "$work/man.out" || fail "man page lacks the command $c"
done

# 6. The completions name every command, and complete them.
step "completions"
completions="$work/root/usr/share"
bash_file="$completions/bash-completion/completions/bgplan"
complete_bash() { # words... (the last one is being completed)
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _bgplan
           printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_file" "$@" | sort | tr '\n' ' '
}
expected="$(printf '%s\n' "${commands[@]}" | sort | tr '\n' ' ')"
[[ "$(complete_bash bgplan '')" == "$expected" ]] ||
  fail "bash completes '$(complete_bash bgplan '')', not '$expected'"
[[ "$(complete_bash bgplan compile --phase pro)" == "promote " ]] || fail "bash: --phase values"
[[ "$(complete_bash bgplan apply --thr)" == "--through " ]] || fail "bash: apply's options"
for n in "${nested[@]}"; do
  [[ "$(complete_bash bgplan ${n% *} '')" == *"${n#* } "* ]] || fail "bash does not complete $n"
done
zsh_file="$completions/zsh/vendor-completions/_bgplan"
[[ "$(head -n 1 "$zsh_file")" == "#compdef bgplan" ]] || fail "zsh file has no #compdef"
for c in "${commands[@]}" "${nested[@]}"; do
  grep -q "^    '${c##* }:" "$zsh_file" || fail "zsh completion lacks $c"
done
fish_file="$completions/fish/vendor_completions.d/bgplan.fish"
if command -v zsh >/dev/null; then zsh -n "$zsh_file" || fail "zsh: syntax"; else
  echo "SKIP zsh -n: zsh is not installed"; fi
if command -v fish >/dev/null; then
  fish --no-execute "$fish_file" || fail "fish: syntax"
  got="$(fish -c "source '$fish_file'; complete -C 'bgplan '" | cut -f1 | sort | tr '\n' ' ')"
  [[ "$got" == "$expected" ]] || fail "fish completes '$got', not '$expected'"
else
  echo "SKIP fish: fish is not installed"
  for c in "${commands[@]}"; do grep -q -- "-a $c " "$fish_file" || fail "fish lacks $c"; done
fi
echo "package: ok ($(basename "$deb"), ${#commands[@]} commands, run from $work)"
