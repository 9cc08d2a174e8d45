package org.yax.plugins;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.yax.core.SourceMetadata;
import org.yax.io.dicom.DicomSource;
import org.yax.io.gdal.GdalBand;
import org.yax.io.gdal.GdalSource;

/**
 * The text for ImageJ's "Info" property (Image > Show Info). DICOM headers use ImageJ's own DICOM layout,
 * "gggg,eeee  Name: value", so ImageJ's DICOM tools (e.g. the macro function getInfo("0028,0030")) work.
 */
public final class HeaderInfo {
    private static final int MAX_VALUE_CHARS = 256;

    private HeaderInfo() { }

    public static String of(SourceMetadata source) {
        if (source instanceof DicomSource d) {
            StringBuilder s = new StringBuilder();
            appendDicom(s, d.attributes(), "");
            return s.toString();
        }
        if (source instanceof GdalSource g) {
            return raster(g);
        }
        return "";
    }

    private static void appendDicom(StringBuilder s, AttributeList list, String prefix) {
        DicomDictionary dictionary = AttributeList.getDictionary();
        for (Attribute a : list.values()) {
            AttributeTag tag = a.getTag();
            String name = dictionary.getFullNameFromTag(tag); // "Study Instance UID", as ImageJ writes it
            if (name == null) {
                name = dictionary.getNameFromTag(tag);
            }
            s.append(prefix).append(String.format("%04X,%04X  %s: ", tag.getGroup(), tag.getElement(),
                    name == null ? "---" : name));
            if (a instanceof SequenceAttribute seq) {
                s.append('\n');
                Iterator<?> items = seq.iterator();
                while (items.hasNext()) {
                    appendDicom(s, ((SequenceItem) items.next()).getAttributeList(), prefix + ">");
                }
                continue;
            }
            String value;
            try {
                value = a.getDelimitedStringValuesOrEmptyString();
            } catch (RuntimeException e) {
                value = "<" + a.getVL() + " bytes>";
            }
            if (value.length() > MAX_VALUE_CHARS) {
                value = value.substring(0, MAX_VALUE_CHARS) + "...";
            }
            s.append(value.trim()).append('\n');
        }
    }

    private static String raster(GdalSource g) {
        StringBuilder s = new StringBuilder();
        s.append("File: ").append(g.file()).append('\n');
        s.append("Driver: ").append(g.driver()).append('\n');
        s.append("Size: ").append(g.width()).append(" x ").append(g.height()).append(", ")
                .append(g.bandCount()).append(" band(s)\n");
        double[] gt = g.geoTransform();
        if (gt != null) {
            s.append("GeoTransform: ").append(Arrays.toString(gt)).append('\n');
        }
        if (!g.projectionWkt().isEmpty()) {
            s.append("Coordinate system: ").append(g.projectionWkt()).append('\n');
        }
        appendMetadata(s, g.metadata(), "");
        int i = 1;
        for (GdalBand b : g.bands()) {
            s.append("Band ").append(i++).append(": ").append(b.dataTypeName()).append(", ")
                    .append(b.colorInterpretationName());
            if (b.noData() != null) {
                s.append(", nodata=").append(b.noData());
            }
            if (!b.description().isEmpty()) {
                s.append(", ").append(b.description());
            }
            s.append('\n');
            appendMetadata(s, b.metadata(), "  ");
        }
        return s.toString();
    }

    private static void appendMetadata(StringBuilder s, Map<String, List<String>> domains, String indent) {
        for (Map.Entry<String, List<String>> d : domains.entrySet()) {
            s.append(indent).append("Metadata").append(d.getKey().isEmpty() ? "" : " (" + d.getKey() + ")")
                    .append(":\n");
            for (String item : d.getValue()) {
                s.append(indent).append("  ").append(item).append('\n');
            }
        }
    }
}
