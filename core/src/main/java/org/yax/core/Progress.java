package org.yax.core;

/** Reports how far a long operation got and lets the caller cancel it. */
public interface Progress {
    /** Does nothing and never cancels. */
    Progress NONE = new Progress() {
        @Override public void report(double fraction, String message) { }
        @Override public boolean isCancelled() { return false; }
    };

    /** @param fraction 0..1 of the whole operation */
    void report(double fraction, String message);

    boolean isCancelled();

    /** Throws {@link CancelledException} if the caller asked to stop. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancelledException();
        }
    }

    /** This progress seen as the sub-range [from, to] of a parent's 0..1. */
    default Progress range(double from, double to) {
        Progress parent = this;
        return new Progress() {
            @Override public void report(double fraction, String message) {
                parent.report(from + (to - from) * Math.max(0, Math.min(1, fraction)), message);
            }
            @Override public boolean isCancelled() { return parent.isCancelled(); }
        };
    }

    /** Thrown when an operation stops because its caller cancelled it. */
    final class CancelledException extends RuntimeException {
        public CancelledException() {
            super("cancelled");
        }
    }
}
