/** Six hand-written messages, three spam and three ham, that several text tests fit on. */
export const TEXTS = [
  'win a free prize now, call this number',
  'claim your cash reward today, text WIN',
  'urgent! you have won a holiday, reply now',
  'are we still meeting for lunch tomorrow?',
  'I will be home late, start dinner without me',
  'thanks for the lovely evening, see you soon',
];
export const LABELS = ['spam', 'spam', 'spam', 'ham', 'ham', 'ham'];
