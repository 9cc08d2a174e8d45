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

/** Turns command-line inputs (files and folders, walked recursively) into batch items in a stable order. */
public final class Discovery {
    private Discovery() { }

    public static List<Item> find(List<Path> inputs) throws IOException {
        List<Item> items = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
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
                items.addAll(found);
            } else {
                // a missing or unreadable file is still an item, so it is reported with its reason
                items.add(new Item(in, in.getFileName() == null ? in : in.getFileName(), true));
            }
        }
        return items;
    }

    private static boolean isHiddenOrTemporary(Path path) {
        String s = path.getFileName() == null ? "" : path.getFileName().toString();
        return s.startsWith(".") || s.startsWith(AtomicFiles.TEMP_PREFIX);
    }
}
