package org.yax.cli.batch;

import java.nio.file.Path;

/**
 * One input file of a batch.
 *
 * @param input      the file
 * @param relative   its path below the input root it was found under (the output tree mirrors this)
 * @param explicit   named on the command line (not found by walking a folder)
 */
public record Item(Path input, Path relative, boolean explicit) { }
