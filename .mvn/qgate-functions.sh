# Sourced by ./mvnw, ./qgate, benchmarks/run and perf/bin/run-main (behind perf/bin/*). qgate_find_jdk sets
# JAVA_HOME to a JDK whose major version is at least QGATE_JDK_MAJOR, looking first at JAVA_HOME
# and then in the usual install folders, so that nobody has to export anything on a machine that
# has one installed. qgate_build_stale tells whether a build output is older than the sources.
QGATE_JDK_MAJOR=25

qgate_jdk_major() {
  # Prints the major version of the JDK at $1, or nothing if $1 is not a JDK.
  local home=$1 v
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release" | head -n 1)
  fi
  if [ -z "${v:-}" ]; then
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  printf '%s' "${v:-}"
}

qgate_find_jdk() {
  local best="" best_major=0 seen="" home major
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(qgate_jdk_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$QGATE_JDK_MAJOR" ]; then
      export JAVA_HOME
      return 0
    fi
    seen="${major:-not a JDK} at JAVA_HOME"
  fi
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.jdks/* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$home" ] && [ ! -L "$home" ] || continue
    major=$(qgate_jdk_major "$home")
    [ -n "$major" ] || continue
    seen="${seen:+$seen, }$major"
    if [ "$major" -ge "$QGATE_JDK_MAJOR" ] && [ "$major" -gt "$best_major" ]; then
      best=$home
      best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "qgate needs JDK $QGATE_JDK_MAJOR or newer, but the JDKs in JAVA_HOME and the usual folders are ${seen:-none}: install JDK $QGATE_JDK_MAJOR (for example Temurin) or point JAVA_HOME at one." >&2
    return 1
  fi
  export JAVA_HOME=$best
}

qgate_build_stale() {
  # True when the build output $2 is missing or older than any main source or pom under $1.
  local root=$1 output=$2
  [ ! -f "$output" ] && return 0
  [ -n "$(find "$root" \( -name target -o -name .git \) -prune -o \
          \( -path '*/src/main/*' -o -name pom.xml \) -newer "$output" -print -quit 2>/dev/null)" ]
}
