package org.yax.core.solve;

/**
 * When an iterative solver stops: after {@code maxIterations}, or once the relative change of the
 * iterate ||x_k - x_{k-1}|| / ||x_k|| drops below {@code tolerance} (checked every {@code checkEvery}
 * iterations, because checking means a device-to-host transfer).
 */
public record StoppingRule(int maxIterations, double tolerance, int checkEvery) {
    public StoppingRule {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
        }
        if (checkEvery < 1) {
            throw new IllegalArgumentException("checkEvery must be >= 1, got " + checkEvery);
        }
    }

    public static StoppingRule of(int maxIterations, double tolerance) {
        return new StoppingRule(maxIterations, tolerance, 10);
    }

    boolean isCheckpoint(int iteration) {
        return iteration % checkEvery == 0 || iteration == maxIterations;
    }
}
