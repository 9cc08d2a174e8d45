package org.yax.batch;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yax.io.AtomicFiles;
import org.yax.io.dicom.DicomHeaders;

/** Turns command-line inputs (files and folders, walked recursively) into batch items in a stable order. */
public final class Discovery {
    private Discovery() { }

    /**
     * Items for files and folders (walked recursively). A DICOMDIR named as an input is a media directory: it stands
     * for the files it references (paths below its folder; the DICOMDIR itself becomes a skipped row); one found in
     * a folder is skipped (the walk finds its files anyway).
     */
    public static List<Item> find(List<Path> inputs) throws IOException {
        List<Item> items = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                items.addAll(walk(in));
            } else {
                // a missing or unreadable file is still an item, so it is reported with its reason
                items.add(new Item(in, in.getFileName() == null ? in : in.getFileName(), true));
                if (Files.isRegularFile(in) && DicomHeaders.isMediaDirectory(in)) {
                    // two DICOMDIRs of one medium reference the same files: each file is one item
                    java.util.Set<Path> listed = new java.util.HashSet<>();
                    items.forEach(i -> listed.add(i.input().toAbsolutePath().normalize()));
                    referencedBy(in).stream().filter(i -> listed.add(i.input().toAbsolutePath().normalize()))
                            .forEach(items::add);
                }
            }
        }
        return items;
    }

    /** The files a DICOMDIR references, as if named one by one; its folder walked when its records do not read. */
    private static List<Item> referencedBy(Path dicomdir) throws IOException {
        Path folder = dicomdir.toAbsolutePath().getParent();
        List<Path> files;
        try {
            files = DicomHeaders.referencedFiles(dicomdir);
        } catch (IOException unreadableRecords) {
            return walk(folder).stream().filter(i -> !i.input().toAbsolutePath().equals(dicomdir.toAbsolutePath()))
                    .toList();
        }
        List<Item> items = new ArrayList<>();
        for (Path f : files) {
            Path file = f.toAbsolutePath().normalize();
            items.add(new Item(file, file.startsWith(folder) ? folder.relativize(file) : file.getFileName(), true));
        }
        items.sort(Comparator.comparing(i -> i.relative().toString()));
        return items;
    }

    private static List<Item> walk(Path in) throws IOException {
        List<Item> found = new ArrayList<>();
        Files.walkFileTree(in, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(in) && isHiddenOrTemporary(dir) ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                // links and special files (FIFOs, devices) become items so the report says why they
                // were left alone; they are never opened
                if (!isHiddenOrTemporary(file)
                        && (attrs.isRegularFile() || attrs.isSymbolicLink() || attrs.isOther())) {
                    found.add(new Item(file, in.relativize(file), false));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                // unreadable: keep it as an item so the report names it and its reason
                found.add(new Item(file, in.relativize(file), true));
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(Comparator.comparing(i -> i.relative().toString()));
        return found;
    }

    private static boolean isHiddenOrTemporary(Path path) {
        String s = path.getFileName() == null ? "" : path.getFileName().toString();
        return s.startsWith(".") || s.startsWith(AtomicFiles.TEMP_PREFIX);
    }
}
