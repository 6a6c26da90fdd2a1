#!/usr/bin/env bash
# Gives a generated site (benches/gen_site.py) a git history for `tre report` timings: one
# commit per section directory of content/ spread over 2026 by three authors, then 20 commits
# that each change 25 articles. Usage: bash benches/git_history.sh SITE_DIR
set -euo pipefail
cd "$1"
rm -rf .git
git init -q
git config user.email bench@example.invalid
i=0
authors=("Nguyễn Văn An" "Trần Thị Bình" "Lê Văn Cường")
commit() { # date author message
  GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" GIT_AUTHOR_NAME="$2" GIT_COMMITTER_NAME="$2" \
    git commit -q -m "$3"
}
for p in config.toml templates static locales .gen_site.json; do [ -e "$p" ] && git add "$p"; done
commit "2026-01-01T08:00:00+07:00" "${authors[0]}" "site"
for dir in $(find content -mindepth 1 -maxdepth 2 -type d | sort); do
  git add "$dir"
  if ! git diff --cached --quiet; then
    i=$((i + 1))
    month=$(( (i % 11) + 1 ))
    commit "$(printf '2026-%02d-15T09:00:00+07:00' "$month")" "${authors[$((i % 3))]}" "content: $dir"
  fi
done
git add -A && { git diff --cached --quiet || commit "2026-11-30T09:00:00+07:00" "${authors[1]}" "rest"; }
mapfile -t articles < <(git ls-files 'content/*.md' | grep -v _index | sort)
for c in $(seq 1 20); do
  for k in $(seq 0 24); do
    f=${articles[$(( (c * 97 + k * 389) % ${#articles[@]} ))]}
    printf '\nCập nhật lần %d.\n' "$c" >> "$f"
  done
  git add -A
  commit "$(printf '2026-11-%02dT10:00:00+07:00' "$c")" "${authors[$((c % 3))]}" "update $c"
done
echo "$(git rev-list --count HEAD) commits, $(git ls-files content | wc -l) content files"
