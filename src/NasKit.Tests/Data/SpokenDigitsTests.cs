using NasKit.Data;

namespace NasKit.Tests.Data;

public class SpokenDigitsTests
{
    [Fact]
    public void Fsdd_has_its_documented_size()
    {
        var fsdd = SpokenDigits.Fsdd();
        Assert.Equal(3000, fsdd.Recordings.Count);
        Assert.Equal(["george", "jackson", "lucas", "nicolas", "theo", "yweweler"], fsdd.Speakers);
        Assert.All(fsdd.Recordings.GroupBy(r => (r.Digit, r.Speaker)), g => Assert.Equal(Enumerable.Range(0, 50), g.Select(r => r.Index).Order()));
        Assert.Equal(8000, fsdd.SampleRate);
    }

    [Fact]
    public void The_official_split_tests_on_indices_0_to_4()
    {
        var fsdd = SpokenDigits.Fsdd();
        var (train, dev, test) = SpokenDigitSplit.Official.Indices(fsdd);
        Assert.Equal((2400, 300, 300), (train.Length, dev.Length, test.Length));
        Assert.All(test, i => Assert.InRange(fsdd.Recordings[i].Index, 0, 4));
        Assert.All(dev, i => Assert.InRange(fsdd.Recordings[i].Index, 5, 9));
        Assert.Empty(train.Intersect(dev).Concat(train.Intersect(test)).Concat(dev.Intersect(test)));
    }

    [Fact]
    public void A_held_out_speaker_is_absent_from_training_and_tested_on_its_official_test_recordings()
    {
        var fsdd = SpokenDigits.Fsdd();
        var (train, dev, test) = SpokenDigitSplit.Parse("speaker:theo").Indices(fsdd);
        Assert.Equal((2000, 250, 50), (train.Length, dev.Length, test.Length));
        Assert.DoesNotContain(train.Concat(dev), i => fsdd.Recordings[i].Speaker == "theo");
        var official = SpokenDigitSplit.Official.Indices(fsdd).Test.Where(i => fsdd.Recordings[i].Speaker == "theo");
        Assert.Equal(official, test);
        Assert.Contains("speakers: george", Assert.Throws<ArgumentException>(() => SpokenDigitSplit.Parse("speaker:bob").Indices(fsdd)).Message);
        Assert.Contains("official, speaker:NAME", Assert.Throws<ArgumentException>(() => SpokenDigitSplit.Parse("random")).Message);
    }

    [Fact]
    public void A_development_speaker_selects_on_a_voice_neither_trained_on_nor_tested()
    {
        var fsdd = SpokenDigits.Fsdd();
        var split = SpokenDigitSplit.Parse("speaker:george/jackson");
        Assert.Equal("speaker:george/jackson", split.ToString());
        var (train, dev, test) = split.Indices(fsdd);
        Assert.Equal((1800, 500, 50), (train.Length, dev.Length, test.Length));
        Assert.All(dev, i => Assert.Equal("jackson", fsdd.Recordings[i].Speaker));
        Assert.DoesNotContain(train, i => fsdd.Recordings[i].Speaker is "george" or "jackson" || fsdd.Recordings[i].Index < SpokenDigitSplit.TestIndices);
        Assert.Equal(SpokenDigitSplit.Parse("speaker:george").Indices(fsdd).Test, test);
        Assert.Contains("must differ", Assert.Throws<ArgumentException>(() => SpokenDigitSplit.Parse("speaker:theo/theo")).Message);
        Assert.Contains("two speaker names", Assert.Throws<ArgumentException>(() => SpokenDigitSplit.Parse("speaker:theo/")).Message);
        Assert.Contains("No speaker 'bob'", Assert.Throws<ArgumentException>(() => SpokenDigitSplit.Parse("speaker:theo/bob").Indices(fsdd)).Message);
    }

    [Fact]
    public void Bad_files_are_named()
    {
        using var temp = new TempFolder("naskit-fsdd");
        var dir = temp.Path;
        File.WriteAllText(Path.Combine(dir, "hello.wav"), "x");
        Assert.Contains("digit_speaker_index", Assert.Throws<InvalidDataException>(() => SpokenDigits.Read(dir)).Message);
        File.Delete(Path.Combine(dir, "hello.wav"));
        File.WriteAllBytes(Path.Combine(dir, "3_ann_0.wav"), [1, 2, 3, 4, 5, 6, 7, 8]);
        var e = Assert.Throws<InvalidDataException>(() => SpokenDigits.Read(dir));
        Assert.Contains("3_ann_0.wav", e.Message);
        Assert.Contains("WAV", e.Message);
    }

    [Fact]
    public void Augmented_epochs_depend_on_seed_and_epoch_only()
    {
        var task = SpokenDigitTasks.Load(SpokenDigitSplit.Parse("speaker:lucas"), AudioFeatureSettings.HelloEdge);
        var aug = new AudioAugmentation();
        var a = task.TrainFeatures(aug, 1, 1).Features;
        Assert.Same(task.TrainFeatures(aug, 1, 1), task.TrainFeatures(aug, 1, 1)); // cached for the next architecture
        Assert.NotEqual(a, task.TrainFeatures(aug, 2, 1).Features);
        Assert.NotEqual(a, task.TrainFeatures(aug, 1, 2).Features);
        var fresh = new SpokenDigitTask(SpokenDigits.Fsdd(), SpokenDigitSplit.Parse("speaker:lucas"), AudioFeatureSettings.HelloEdge);
        Assert.Equal(a, fresh.TrainFeatures(aug, 1, 1).Features);
        Assert.Equal(2000, task.TrainCount);
    }
}
