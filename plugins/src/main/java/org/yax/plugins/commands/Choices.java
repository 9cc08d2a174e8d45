package org.yax.plugins.commands;

import java.util.List;
import org.scijava.command.DynamicCommand;
import org.scijava.module.MutableModuleItem;

/**
 * Choice lists filled when a command initialises, from the core's enums (via {@link org.yax.plugins.Parameters}),
 * so a method or task added to the core appears in every dialog without touching the commands.
 */
final class Choices {
    private Choices() { }

    static void set(DynamicCommand command, String input, String[] choices) {
        MutableModuleItem<String> item = command.getInfo().getMutableInput(input, String.class);
        item.setChoices(List.of(choices));
    }
}
