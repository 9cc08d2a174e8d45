import java.nio.file.Path;
import org.scijava.command.Command;
import org.scijava.plugin.PluginIndex;
import org.scijava.plugin.PluginInfo;

/**
 * Run as a single source file with only Fiji.app/jars on the classpath: lists the yax SciJava commands that
 * Fiji's plugin index finds (each class loaded and instantiated) and reads each file argument through yax-io,
 * so a jar missing from jars/ (or GDAL's native library missing from lib/linux64) shows up as an error here.
 */
public class FijiJarsCheck {
    public static void main(String[] files) throws Exception {
        PluginIndex index = new PluginIndex();
        index.discover();
        for (PluginInfo<?> info : index.getPlugins(Command.class)) {
            String menu = info.getMenuPath() == null ? "" : info.getMenuPath().getMenuString();
            if (menu.contains("yax")) {
                Class<?> c = info.loadClass();
                c.getConstructor().newInstance();
                System.out.println("command [" + menu + "] " + c.getName());
            }
        }
        for (String f : files) {
            Path p = Path.of(f);
            org.yax.core.Image im = org.yax.io.Formats.detect(p).orElseThrow().read(p);
            System.out.println("read " + p.getFileName() + " " + im.channels() + "x" + im.height() + "x" + im.width());
        }
    }
}
