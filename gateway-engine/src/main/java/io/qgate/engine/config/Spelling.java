package io.qgate.engine.config;

import java.util.Collection;

/**
 * "Did you mean" for unknown keys: the known key closest to a misspelt one by edit distance
 * (insertions, deletions, substitutions and swaps of two neighbours each count one), if it is
 * close enough to be the likely intent.
 */
final class Spelling {
    private Spelling() {
    }

    /** "did you mean 'x'?" when a known key is close, else the list of known keys. */
    static String suggestion(String unknown, Collection<String> known) {
        String close = closest(unknown, known);
        return close != null ? "did you mean '" + close + "'?" : "known keys: " + String.join(", ", known);
    }

    /** The known key {@code unknown} is most likely a misspelling of, or null if none is close. */
    static String closest(String unknown, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(unknown, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        // a short key has few letters to get wrong: one edit; longer ones (trust-root for trust_roots): two
        int allowed = unknown.length() <= 4 ? 1 : 2;
        return bestDistance <= allowed ? best : null;
    }

    /** Optimal string alignment distance between {@code a} and {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
