#!/usr/bin/env bash
# Tags a release of the action, locally or from .github/workflows/release.yml:
#
#   scripts/release.sh X.Y.Z [--push]          tag vX.Y.Z at HEAD, after the checks below
#   scripts/release.sh --major X.Y.Z [--push]  move the major tag vX to vX.Y.Z's commit
#   scripts/release.sh --notes X.Y.Z [OWNER/REPO]
#                                              print the CHANGELOG.md section of X.Y.Z, after
#                                              the line that pins the release by its commit
#
# Users pin a release's commit SHA, `@vX.Y.Z` or `@v1` (the major tag); each must point at a
# commit whose committed dist/ is what its sources build to, so the checks run before anything is
# tagged. A version tag is never moved: once its GitHub release is published it is immutable.
# The major tag is the one tag that moves, and the workflow moves it only after the release is
# published. Run it on main after the commit that sets package.json's version and adds the
# CHANGELOG section.
set -euo pipefail

die() {
  echo "release: $*" >&2
  exit 1
}

cd "$(git rev-parse --show-toplevel)"

notes() {
  awk -v heading="## [$1]" '
    index($0, heading) == 1 { on = 1; next }
    on && /^## / { exit }
    on { print }
  ' CHANGELOG.md | sed -e '/./,$!d'
}

if [ "${1:-}" = "--notes" ]; then
  [ -n "${2:-}" ] || die "usage: scripts/release.sh --notes X.Y.Z [OWNER/REPO]"
  if [ -n "${3:-}" ]; then
    commit="$(git rev-parse -q --verify "refs/tags/v$2^{commit}")" ||
      die "v$2 is not tagged: tag it first (scripts/release.sh $2)"
    printf 'Pin this release by its commit: `uses: %s@%s # v%s`\n\n' "$3" "$commit" "$2"
  fi
  notes "$2"
  exit 0
fi

mode=tag
if [ "${1:-}" = "--major" ]; then
  mode=major
  shift
fi
version="${1:-}"
push=false
[ "${2:-}" = "--push" ] && push=true
[[ "$version" =~ ^([0-9]+)\.[0-9]+\.[0-9]+$ ]] ||
  die "usage: scripts/release.sh [--major] X.Y.Z [--push] (got '${version}')"
tag="v$version"
major="v${BASH_REMATCH[1]}"

# Never move the major tag back below a newer release of the same major version.
newest="$(git tag --list "$major.*.*" --sort=-v:refname | head -n 1)"
if [ -n "$newest" ] && [ "$newest" != "$tag" ] &&
  [ "$(printf '%s\n%s\n' "$newest" "$tag" | sort -V | tail -n 1)" = "$newest" ]; then
  die "$newest is newer than $tag: $major would move backwards"
fi

if [ "$mode" = major ]; then
  git rev-parse -q --verify "refs/tags/$tag" >/dev/null ||
    die "$tag does not exist: release it first (scripts/release.sh $version)"
  git tag -f -a "$major" -m "$major → $tag" "$tag^{commit}" >/dev/null
  echo "release: $major → $tag ($(git rev-parse --short "$tag^{commit}"))"
  if [ "$push" = true ]; then
    git push --force origin "refs/tags/$major"
  fi
  exit 0
fi

[ -z "$(git status --porcelain)" ] || die "the working tree is not clean: commit or stash first"

branch="$(git rev-parse --abbrev-ref HEAD)"
if [ "$branch" != main ]; then
  # A tag-push run in CI checks out the tag (detached HEAD); it must be a commit of main.
  git merge-base --is-ancestor HEAD refs/remotes/origin/main 2>/dev/null ||
    die "HEAD is on '$branch', not main: release from main"
fi

package_version="$(node -p 'require("./package.json").version')"
[ "$package_version" = "$version" ] ||
  die "package.json says $package_version, not $version: bump it (npm version $version --no-git-tag-version) and commit"

[ -n "$(notes "$version" | tr -d '[:space:]')" ] ||
  die "CHANGELOG.md has no '## [$version]' section with notes: move the Unreleased notes there and commit"

if git rev-parse -q --verify "refs/tags/$tag" >/dev/null; then
  [ "$(git rev-parse "$tag^{commit}")" = "$(git rev-parse HEAD)" ] ||
    die "$tag already exists on another commit"
  tag_exists=true
else
  tag_exists=false
fi

echo "release: checking that dist/ is what the sources build to (npm run build)"
npm run build --silent >/dev/null
if [ -n "$(git status --porcelain -- dist)" ]; then
  git status --short -- dist >&2
  git checkout -q -- dist
  die "dist/ is stale: run 'npm run build', commit dist/, and release that commit"
fi

if [ "$tag_exists" = false ]; then
  git tag -a "$tag" -m "$tag"
fi
echo "release: $tag → $(git rev-parse --short HEAD); $major moves once the release is published (--major)"

if [ "$push" = true ]; then
  # Never forced: a version tag that exists elsewhere on the remote stops the release here.
  git push origin "refs/tags/$tag"
fi
