using NasKit.Benchmarks;
using NasKit.Data;

namespace NasKit.Tests.Data;

public class SentenceTaskTests
{
    // Expected strings from harvardnlp/sent-conv-torch's preprocess.py (clean_str, clean_str_sst) run with Python's re.
    [Theory]
    [InlineData("What 's the capital of Zimbabwe ?", "what 's the capital of zimbabwe ?", "what 's the capital of zimbabwe ?")]
    [InlineData("Who wasn't (really) there, the `cat' ... I'll go!", "who was n't ( really ) there , the `cat' i 'll go !", "who wasn't (really) there, the `cat' i'll go!")]
    [InlineData("Café's naïve co-op isn't $5.00 -- right?", "caf 's na ve co op is n't 5 00 right ?", "caf 's na ve co op isn't 5 00 right?")]
    public void Cleaning_matches_the_reproductions_python(string raw, string kim, string sst)
    {
        Assert.Equal(kim, SentenceTask.CleanKim(raw));
        Assert.Equal(sst, SentenceTask.CleanSst(raw));
    }

    [Fact]
    public void Vocabulary_and_lengths_match_preprocess_py()
    {
        // preprocess.py's get_vocab over every file of the task (computed with Python; +1 for the padding token).
        var trec = SentenceTask.Trec();
        Assert.Equal((8765, 37, 6), (trec.VocabularySize, trec.LongestSentence, trec.Classes));
        Assert.Equal((5452, 500), (trec.Train.Count, trec.Test.Count));
        Assert.Null(trec.Dev);
        var sst = SentenceTask.Sst2();
        Assert.Equal((16189, 53, 2), (sst.VocabularySize, sst.LongestSentence, sst.Classes));
        Assert.Equal((6920, 872, 1821), (sst.Train.Count, sst.Dev!.Count, sst.Test.Count));
        Assert.Equal("<pad>", trec.Vocabulary[SentenceTask.PaddingToken]);
    }

    [Fact]
    public void A_development_set_is_split_from_training_by_seed_as_harvardnlp()
    {
        var trec = SentenceTask.Trec();
        var (train, dev) = trec.Split(3, 50);
        // 5,452 sentences: 109 full batches, round(0.9 * 109) = 98 train batches of 50; the rest develops.
        Assert.Equal((4900, 552), (train.Count, dev.Count));
        var trainSet = train.Tokens.ToHashSet(ReferenceEqualityComparer.Instance);
        Assert.DoesNotContain(dev.Tokens, t => trainSet.Contains(t));
        Assert.Equal(dev.Tokens, trec.Split(3, 50).Dev.Tokens);
        Assert.NotEqual(dev.Tokens, trec.Split(4, 50).Dev.Tokens);
        var sst = SentenceTask.Sst2();
        Assert.Same(sst.Dev, sst.Split(3, 50).Dev);
    }

    [Fact]
    public void A_batch_pads_each_sentence_on_both_sides()
    {
        var s = new LabelledSentences([[5, 6, 7], [8]], [1, 0]);
        var (x, y) = SentenceTask.Batch(s, [1, 0], padding: 2);
        Assert.Equal([2L, 7], x.shape);
        Assert.Equal([0L, 0, 8, 0, 0, 0, 0, 0, 0, 5, 6, 7, 0, 0], x.data<long>().ToArray());
        Assert.Equal([0L, 1], y.data<long>().ToArray());
    }

    [Fact]
    public void A_bad_line_is_named_with_its_file_and_number()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            string train = Path.Combine(dir.FullName, "train"), test = Path.Combine(dir.FullName, "test");
            File.WriteAllLines(train, ["0 a good one", "1 a bad one", "7 out of range"]);
            File.WriteAllLines(test, ["0 fine"]);
            var e = Assert.Throws<BenchmarkDataException>(() => SentenceTask.Read("t", SentenceTask.CleanKim, train, null, test, 2));
            Assert.Contains("train:3", e.Message);
            File.WriteAllLines(train, ["0 a good one", "0 another"]);
            e = Assert.Throws<BenchmarkDataException>(() => SentenceTask.Read("t", SentenceTask.CleanKim, train, null, test, 2));
            Assert.Contains("no training sentence of class 1", e.Message);
            File.WriteAllLines(train, ["0 a good one", "1 $$$"]);
            e = Assert.Throws<BenchmarkDataException>(() => SentenceTask.Read("t", SentenceTask.CleanKim, train, null, test, 2));
            Assert.Contains("empty after cleaning", e.Message);
        }
        finally { dir.Delete(true); }
    }
}
