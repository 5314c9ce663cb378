/** The file extensions `fromDirectory` and `readImageFolder` read when given none. */
export const DEFAULT_IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png'];
