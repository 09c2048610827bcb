/** Accuracy and macro-averaged F1 (every label present in truth or predictions counts once). */
export interface EvaluationScores {
  accuracy: number;
  macroF1: number;
  n: number;
}

export function scorePredictions(truth: readonly string[], predicted: readonly string[]): EvaluationScores {
  if (truth.length !== predicted.length) throw new Error('truth and predictions differ in length');
  const labels = [...new Set([...truth, ...predicted])].sort();
  let correct = 0;
  const truePositives = new Map<string, number>();
  const predictedCounts = new Map<string, number>();
  const actualCounts = new Map<string, number>();
  for (let i = 0; i < truth.length; i++) {
    const actual = truth[i]!;
    const guess = predicted[i]!;
    actualCounts.set(actual, (actualCounts.get(actual) ?? 0) + 1);
    predictedCounts.set(guess, (predictedCounts.get(guess) ?? 0) + 1);
    if (actual === guess) {
      correct++;
      truePositives.set(actual, (truePositives.get(actual) ?? 0) + 1);
    }
  }
  let f1Sum = 0;
  for (const label of labels) {
    const tp = truePositives.get(label) ?? 0;
    const precision = tp / (predictedCounts.get(label) || 1);
    const recall = tp / (actualCounts.get(label) || 1);
    f1Sum += precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  }
  return {
    accuracy: truth.length ? correct / truth.length : 0,
    macroF1: labels.length ? f1Sum / labels.length : 0,
    n: truth.length,
  };
}
