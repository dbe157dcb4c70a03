// The spoken questions of the speech-input tests and of `npm run bench:conversation`: what a visitor
// asks a support avatar, in plain words espeak-ng pronounces and the FAQ responder can match. One
// list, so the recogniser's measured word error rate is the one the bench reports.

export const BENCH_QUESTIONS: readonly string[] = [
  "What are your opening hours on Saturday?",
  "How much does the basic plan cost?",
  "Where is your office located?",
  "Can I cancel my order?",
  "How long does shipping take?",
  "Do you offer a free trial?",
  "How do I reset my password?",
  "What payment methods do you accept?",
  "Can I talk to a human please?",
  "Is there a discount for students?",
  "How do I change my email address?",
  "When will my package arrive?",
  "Do you ship to Canada?",
  "What is your return policy?",
  "How can I contact support?",
  "Is my data safe with you?",
  "Can I upgrade my plan later?",
  "What time do you close today?",
  "Do you have a mobile app?",
  "How many users can share one account?",
];
