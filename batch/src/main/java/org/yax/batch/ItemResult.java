package org.yax.batch;

/**
 * One row of a batch report: a plain serialisable value (a cluster job sends it back to the driver). Numbers that do not apply are null (e.g. PSNR without ground truth).
 */
public final class ItemResult implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** What happened to an item; planned only in a --dry-run. */
    public enum Status { done, skipped, failed, planned }

    public String input;
    public String output;
    public String format;
    /** A DICOM series item: its SeriesInstanceUID (also on the rows of its failed or left-out slices). */
    public String series;
    /** A DICOM series item: how many slices were reconstructed. */
    public Integer slices;
    /** A DICOM series item: how it was reconstructed (volume or per slice, per stack, and why). */
    public String reconstruction;
    public Status status;
    public String reason;
    public String task;
    public String method;
    public Integer scale;
    public String sigma;
    public Integer iterations;
    public Double secondsRead;
    public Double secondsSolve;
    public Double secondsWrite;
    public Double secondsTotal;
    public Double psnrBefore;
    public Double psnrAfter;
    public Double ssimBefore;
    public Double ssimAfter;
    /** A cluster job: the host of the executor that produced this row; null (absent) for a local run. */
    public String host;
    /** A cluster job: the attempt of the task that produced this row (0 = first); null (absent) for a local run. */
    public Integer attempt;
    /**
     * The row's thumbnails for the HTML report (made while the pixels were in memory; a cluster executor sends them
     * back in the row), or null: none made (--no-html, failed before the pixels were read, ...). Not in JSON or CSV.
     */
    public org.yax.batch.html.ItemPictures pictures;

    public static ItemResult of(Item item) {
        ItemResult r = new ItemResult();
        r.input = item.input().toString();
        return r;
    }

    public ItemResult fail(String why) {
        status = Status.failed;
        reason = why;
        return this;
    }

    public ItemResult skip(String why) {
        status = Status.skipped;
        reason = why;
        return this;
    }
}
