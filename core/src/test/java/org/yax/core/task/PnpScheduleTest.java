package org.yax.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.yax.core.op.Psf;

/** The plug-and-play schedules the recipes run (docs/MODELS.md, "Plug-and-play details"), and the tuning override. */
class PnpScheduleTest {
    private static TaskRecipe.PnpSchedule schedule(Task task, int scale, boolean fromHead) {
        return TaskRecipe.of(task, scale, task == Task.DEBLUR ? Psf.parse("gaussian:1.5") : null).pnpSchedule(fromHead);
    }

    @Test
    void eachTaskRunsItsValidatedSchedule() {
        assertEquals(new TaskRecipe.PnpSchedule(8, 12.0 / 255), schedule(Task.SUPER_RESOLUTION, 2, true));
        assertEquals(new TaskRecipe.PnpSchedule(12, 15.0 / 255), schedule(Task.SUPER_RESOLUTION, 4, true));
        assertEquals(new TaskRecipe.PnpSchedule(8, 50.0 / 255), schedule(Task.SUPER_RESOLUTION, 3, false));
        assertEquals(new TaskRecipe.PnpSchedule(12, 15.0 / 255), schedule(Task.INPAINT, 1, true));
        assertEquals(new TaskRecipe.PnpSchedule(40, 50.0 / 255), schedule(Task.MRI, 1, false));
        assertEquals(new TaskRecipe.PnpSchedule(8, 50.0 / 255), schedule(Task.DEBLUR, 1, false));
    }

    @Test
    void systemPropertiesOverrideTheScheduleForTuning() {
        System.setProperty(TaskRecipe.ITERATIONS_PROPERTY, "5");
        System.setProperty(TaskRecipe.SIGMA_START_PROPERTY, "25");
        try {
            assertEquals(new TaskRecipe.PnpSchedule(5, 25.0 / 255), schedule(Task.SUPER_RESOLUTION, 2, true));
            assertEquals(new TaskRecipe.PnpSchedule(5, 25.0 / 255), schedule(Task.MRI, 1, false));
        } finally {
            System.clearProperty(TaskRecipe.ITERATIONS_PROPERTY);
            System.clearProperty(TaskRecipe.SIGMA_START_PROPERTY);
        }
        assertEquals(new TaskRecipe.PnpSchedule(40, 50.0 / 255), schedule(Task.MRI, 1, false));
    }
}
