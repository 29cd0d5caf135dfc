using Spectre.Console;
using Spectre.Console.Rendering;

namespace Vellum.Cli.Output;

/// <summary>
/// Readable output of the ledger commands: Spectre.Console tables written to the command's output,
/// with colours only on a terminal, and every value shown as plain text (never read as markup).
/// </summary>
internal static class Tables
{
    /// <summary>The width tables are laid out in when the output is not a terminal: wide enough that ids never wrap.</summary>
    private const int RedirectedWidth = 400;

    /// <summary>A table with <paramref name="columns"/> as headers.</summary>
    public static Table Create(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column, new Style(decoration: Decoration.Bold))));
        }

        return table;
    }

    /// <summary>Adds a row of plain-text cells.</summary>
    public static void AddRow(Table table, params string[] cells) =>
        table.AddRow(cells.Select(cell => (IRenderable)new Text(cell)).ToArray());

    /// <summary>A two-column grid of names and values, for one item.</summary>
    public static Grid Fields(params (string Name, string Value)[] fields)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (name, value) in fields)
        {
            grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value));
        }

        return grid;
    }

    /// <summary>Renders <paramref name="renderable"/> to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, IRenderable renderable) => ConsoleFor(output).Write(renderable);

    /// <summary>Whether <paramref name="output"/> is the console of an interactive terminal, where colours and progress bars belong.</summary>
    public static bool IsTerminal(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    private static IAnsiConsole ConsoleFor(TextWriter output)
    {
        if (IsTerminal(output))
        {
            return AnsiConsole.Console;
        }

        // Redirected or captured output gets no escape codes, so that it reads the same in a file,
        // and is not wrapped at a terminal's width that it does not have: a user id or a transaction
        // id split over two lines could not be searched for.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = RedirectedWidth;
        return console;
    }
}
