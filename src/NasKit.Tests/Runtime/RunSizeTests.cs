using NasKit.Runtime;
using Xunit;

namespace NasKit.Tests.Runtime;

public class RunSizeTests
{
    [Theory]
    [InlineData(null, RunSize.Full)]
    [InlineData("", RunSize.Full)]
    [InlineData("full", RunSize.Full)]
    [InlineData(" Quick ", RunSize.Quick)]
    public void The_size_setting_reads_quick_or_full_and_defaults_to_full(string? value, RunSize expected) =>
        Assert.Equal(expected, RunSizes.Parse(value));

    [Fact]
    public void An_unknown_size_is_an_error_that_names_the_variable_and_the_choices()
    {
        var e = Assert.Throws<ArgumentException>(() => RunSizes.Parse("medium"));
        Assert.Contains("NASKIT_SIZE='medium'", e.Message);
        Assert.Contains("quick", e.Message);
        Assert.Contains("full", e.Message);
    }
}
